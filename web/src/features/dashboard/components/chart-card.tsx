/**
 * One dashboard chart: a heading, the chart itself (a picture, hidden from screen readers) and
 * the same figures as a table anyone can read, copy or have read aloud.
 */
import { useId, type ReactNode } from 'react';

/** A column of the figures table. */
export interface FigureColumn<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  numeric?: boolean;
}

/** The card. `empty` replaces chart and table when there is nothing to show. */
export function ChartCard<Row>({
  title,
  summary,
  chart,
  rows,
  columns,
  rowKey,
  empty,
}: {
  title: string;
  summary?: ReactNode;
  chart: ReactNode;
  rows: readonly Row[];
  columns: readonly FigureColumn<Row>[];
  rowKey: (row: Row) => string;
  empty?: string;
}) {
  const id = useId();
  return (
    <section className="card chart-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        {title}
      </h2>
      {summary ? <p className="chart-card__summary">{summary}</p> : null}
      {rows.length === 0 && empty ? (
        <p className="notice">{empty}</p>
      ) : (
        <>
          <div className="chart-card__chart" aria-hidden="true">
            {chart}
          </div>
          <table className="figures" aria-labelledby={`${id}-title`}>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.header} scope="col" className={column.numeric ? 'figures__number' : undefined}>
                    {column.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)}>
                  {columns.map((column, index) =>
                    index === 0 ? (
                      <th key={column.header} scope="row">
                        {column.cell(row)}
                      </th>
                    ) : (
                      <td key={column.header} className={column.numeric ? 'figures__number' : undefined}>
                        {column.cell(row)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
