-- The company's purchasing settings (ADR 0007 §3): whether a stock movement may leave a
-- location below zero (`refuse` by default; `allow` records it, and the balance shows a count
-- is due). The parts markup (`parts_markup_bp`) was there from the start.

ALTER TABLE companies ADD COLUMN negative_stock TEXT NOT NULL DEFAULT 'refuse' CHECK (negative_stock IN ('refuse', 'allow'));
