// Comparing OCR output with the truth by edit distance, never equality (one look-alike character
// should cost one error, not the whole field).

/** Levenshtein distance over Unicode code points. */
export function editDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      const sub = (prev[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] as number) + 1, (cur[j - 1] as number) + 1));
    }
    prev = cur;
  }
  return prev[y.length] as number;
}

/** Character error rate: edit distance / truth length, whitespace ignored on both sides. */
export function characterErrorRate(read: string, truth: string): number {
  const strip = (s: string) => s.normalize('NFKC').replace(/\s+/gu, '');
  const t = strip(truth);
  if (t.length === 0) return strip(read).length === 0 ? 0 : 1;
  return editDistance(strip(read), t) / Array.from(t).length;
}
