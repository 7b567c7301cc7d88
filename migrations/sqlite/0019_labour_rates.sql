-- Labour rates (ADR 0007 §2): an hourly rate in minor units and its currency on a labour
-- entry, given by someone who reads supplier prices; the entry's cost is derived from it
-- (`work_order::labour_cost_minor`). Both are restricted fields (`price.supplier.read`).

ALTER TABLE labour_entries ADD COLUMN rate_minor INTEGER CHECK (rate_minor >= 0);
ALTER TABLE labour_entries ADD COLUMN currency TEXT;
