/**
 * Fargate task sizes: the 74 valid task-level cpu/memory pairs, and the unit
 * conversion RegisterTaskDefinition applies ("1 vCPU" -> "1024", "2 GB" -> "2048").
 */
const RANGES: { cpu: number; memory: number[] }[] = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: steps(1024, 4096, 1024) },
  { cpu: 1024, memory: steps(2048, 8192, 1024) },
  { cpu: 2048, memory: steps(4096, 16384, 1024) },
  { cpu: 4096, memory: steps(8192, 30720, 1024) },
  { cpu: 8192, memory: steps(16384, 61440, 4096) },
  { cpu: 16384, memory: steps(32768, 122880, 8192) },
];

function steps(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

export const FARGATE_VALID_PAIRS: ReadonlyArray<readonly [number, number]> = RANGES.flatMap((r) =>
  r.memory.map((m) => [r.cpu, m] as const),
);

const VALID = new Set(FARGATE_VALID_PAIRS.map(([c, m]) => `${c}/${m}`));

export function isValidFargatePair(cpu: number, memory: number): boolean {
  return VALID.has(`${cpu}/${memory}`);
}

/** The smallest valid memory for a cpu value (used when overrides change only cpu). */
export function fargateCpuValues(): number[] {
  return RANGES.map((r) => r.cpu);
}

/**
 * Converts a task-level cpu string to CPU units. Accepts "1024", "1 vCPU", "0.25 vcpu".
 * Returns undefined for anything else.
 */
export function normalizeCpu(value: string): string | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) return String(parseInt(v, 10));
  const m = /^(\d+(?:\.\d+)?)\s*vcpu$/i.exec(v);
  if (!m) return undefined;
  const units = parseFloat(m[1]!) * 1024;
  return Number.isInteger(units) ? String(units) : undefined;
}

/** Converts a task-level memory string to MiB. Accepts "2048", "2 GB", "2GB", "0.5 gb". */
export function normalizeMemory(value: string): string | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) return String(parseInt(v, 10));
  const m = /^(\d+(?:\.\d+)?)\s*gb$/i.exec(v);
  if (!m) return undefined;
  const mib = parseFloat(m[1]!) * 1024;
  return Number.isInteger(mib) ? String(mib) : undefined;
}
