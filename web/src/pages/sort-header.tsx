/** A column header that sorts the whole list on the server (the `sort` extension), not just the page. */
export function SortHeader({
  field,
  label,
  sort,
  desc,
  onSort,
}: {
  field: string;
  label: string;
  sort: string;
  desc: boolean;
  onSort: (field: string, desc: boolean) => void;
}) {
  const active = sort === field;
  return (
    <th aria-sort={active ? (desc ? "descending" : "ascending") : "none"}>
      <button type="button" class="link" onClick={() => onSort(field, active && !desc)}>
        {label}
        {active ? (desc ? " ▼" : " ▲") : ""}
      </button>
    </th>
  );
}
