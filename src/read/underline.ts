// A value written on a line (填报单位：＿＿＿ filled in above the rule, a signature line, a table
// rule the row's crop caught) has a horizontal stroke far longer than any character's under or
// through it. tesseract then drops the whole underlined stretch from its line (measured on a
// colour office scan: 「填报单位：江西陶瓷…学院」 came back as 「填报单位：」 alone). No character's
// stroke runs much longer than the line is high, so such runs are rules, and are whitened.

import type { Raster } from '../prepare/raster.js';

/** Darker than this is ink. */
const INK = 128;
/** A run longer than this many line heights is a rule, not a stroke (一 is about one). */
const RULE_HEIGHTS = 3;

/** A copy of a one-channel line image without its rules; the image itself when it has none. */
export function eraseRules(line: Raster): Raster {
  if (line.channels !== 1) return line;
  const { width, height, data } = line;
  const minRun = Math.max(RULE_HEIGHTS * height, 60);
  let out: Uint8Array | undefined;
  for (let y = 0; y < height; y++) {
    let from = -1;
    for (let x = 0; x <= width; x++) {
      const ink = x < width && (data[y * width + x] as number) < INK;
      if (ink && from < 0) from = x;
      else if (!ink && from >= 0) {
        if (x - from >= minRun) {
          out ??= new Uint8Array(data);
          out.fill(255, y * width + from, y * width + x);
        }
        from = -1;
      }
    }
  }
  return out ? { ...line, data: out } : line;
}
