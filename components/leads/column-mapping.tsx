"use client";
import { inputClass } from "@/components/ui/field";
import type { CsvTable } from "@/workflows/leads/csv";
import {
  COLUMN_TARGETS,
  type ColumnMapping,
  type ColumnTarget,
  TARGET_LABELS,
} from "@/workflows/leads/mapping";

function samplesOf(table: CsvTable, column: number): string[] {
  const samples: string[] = [];
  for (const row of table.rows) {
    const value = row.cells[column]?.trim();
    if (value) samples.push(value.length > 48 ? `${value.slice(0, 47)}…` : value);
    if (samples.length === 3) break;
  }
  return samples;
}

/** One line per column of the file: its header, a few values, and what it becomes. */
export function ColumnMappingTable({
  table,
  mapping,
  onChange,
  disabled,
}: {
  table: CsvTable;
  mapping: ColumnMapping[];
  onChange: (mapping: ColumnMapping[]) => void;
  disabled?: boolean;
}) {
  const update = (index: number, change: Partial<ColumnMapping>) =>
    onChange(mapping.map((column, i) => (i === index ? { ...column, ...change } : column)));
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-3 font-medium">Column in the file</th>
            <th className="py-2 pr-3 font-medium">First values</th>
            <th className="py-2 font-medium">Imported as</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {table.header.map((header, index) => {
            const column = mapping[index]!;
            const name = header || `Column ${index + 1}`;
            return (
              <tr key={`${index}-${header}`}>
                <td className="py-2 pr-3 align-top font-medium text-slate-900">{name}</td>
                <td className="py-2 pr-3 align-top text-xs text-slate-600">
                  {samplesOf(table, index).map((sample, i) => (
                    <div key={i} className="max-w-xs truncate font-mono">
                      {sample}
                    </div>
                  ))}
                </td>
                <td className="py-2 align-top">
                  <div className="flex flex-wrap items-center gap-2">
                    <select
                      aria-label={`Import column “${name}” as`}
                      className={`${inputClass} max-w-xs`}
                      value={column.target}
                      disabled={disabled}
                      onChange={(event) =>
                        update(index, { target: event.target.value as ColumnTarget })
                      }
                    >
                      {COLUMN_TARGETS.map((target) => (
                        <option key={target} value={target}>
                          {TARGET_LABELS[target]}
                        </option>
                      ))}
                    </select>
                    {column.target === "custom" ? (
                      <label className="flex items-center gap-1 text-xs text-slate-600">
                        <span className="font-mono">{"{{custom."}</span>
                        <input
                          aria-label={`Custom field name for “${name}”`}
                          className={`${inputClass} w-36 py-1 font-mono text-xs`}
                          value={column.customKey}
                          disabled={disabled}
                          onChange={(event) => update(index, { customKey: event.target.value })}
                        />
                        <span className="font-mono">{"}}"}</span>
                      </label>
                    ) : null}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
