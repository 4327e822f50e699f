/** A table's column headings, each a column header for screen readers; `actions` adds an unlabelled last column. */
export function TableHead({ columns, actions }: { readonly columns: readonly string[]; readonly actions?: boolean }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        {actions && (
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        )}
      </tr>
    </thead>
  );
}
