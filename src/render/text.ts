// Text as printed on Chinese paper. Records hold text in Unicode NFKC (README: the record), which turns
// ，；：（） into ASCII; printed Chinese uses the full-width forms again. Commas in numbers
// (1,200) and Latin text keep their ASCII forms.
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/u;

const FULL: Record<string, string> = { ',': '，', ';': '；', ':': '：', '?': '？', '!': '！' };

export function chinesePunctuation(text: string): string {
  if (!CJK.test(text)) return text;
  const chars = [...text];
  const out = chars.map((c, i) => {
    const full = FULL[c];
    if (!full) return c;
    const before = chars[i - 1] ?? '';
    const after = chars[i + 1] ?? '';
    // 1,200 and 10:30 stay; 热工测试;隧道窑 and 负责人:张 become full-width.
    if (/\d/.test(before) && /\d/.test(after)) return c;
    return CJK.test(before) || CJK.test(after) || before === ')' ? full : c;
  });
  // Brackets around or next to Chinese: （余热回收、富氧燃烧）.
  return out
    .join('')
    .replace(/\(([^()]*)\)/g, (m, inner: string, offset: number, whole: string) =>
      CJK.test(inner) || CJK.test(whole[offset - 1] ?? '') ? `（${inner}）` : m,
    );
}
