import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findGrid } from '../../src/locate/grid.js';

// A form-like table at ~300 dpi: row 0 has 姓名|value|性别|value|照片 (照片 spans rows 0–1),
// row 1 has 学历|value|职称|value, row 2 is a label and one wide value cell.
function tableSvg(): string {
  const W = 1600;
  const H = 900;
  const x = [100, 300, 700, 900, 1300, 1500] as const;
  const y = [100, 250, 400, 800] as const;
  const line = (x1: number, y1: number, x2: number, y2: number) =>
    `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="black" stroke-width="4"/>`;
  const parts = [
    line(x[0], y[0], x[5], y[0]),
    line(x[0], y[1], x[4], y[1]), // 照片 continues below: no rule under it
    line(x[0], y[2], x[5], y[2]),
    line(x[0], y[3], x[5], y[3]),
    line(x[0], y[0], x[0], y[3]),
    line(x[1], y[0], x[1], y[3]),
    line(x[2], y[0], x[2], y[2]),
    line(x[3], y[0], x[3], y[2]),
    line(x[4], y[0], x[4], y[2]),
    line(x[5], y[0], x[5], y[3]),
    `<text x="130" y="190" font-size="48" font-family="Noto Sans CJK SC">姓名</text>`,
    `<text x="330" y="190" font-size="48" font-family="Noto Sans CJK SC">王建国</text>`,
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>`;
}

const rule = (x1: number, y1: number, x2: number, y2: number, w = 4) =>
  `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="black" stroke-width="${w}"/>`;

/** A 1600 × 1800 table of two rows (100–600, 600–1600) in its frame, with the given inner lines. */
function twoRowTable(inner: string[]): string {
  const frame = [
    rule(100, 100, 1500, 100),
    rule(100, 600, 1500, 600),
    rule(100, 1600, 1500, 1600),
    rule(100, 100, 100, 1600),
    rule(1500, 100, 1500, 1600),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1800"><rect width="100%" height="100%" fill="white"/>${[...frame, ...inner].join('')}</svg>`;
}

async function grey(svg: string, rotate = 0) {
  const { data, info } = await sharp(Buffer.from(svg))
    .rotate(rotate, { background: '#fff' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** An A4-like page (1600 × 1800) holding only these rules. */
function pageOf(lines: string[]) {
  return grey(
    `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1800"><rect width="100%" height="100%" fill="white"/>${lines.join('')}</svg>`,
  );
}

/** The grid of an A4-like page (1600 × 1800) holding only these rules. */
async function gridOfPage(lines: string[]) {
  return findGrid(await pageOf(lines));
}

/** Where the table's rightmost cell ends. */
const rightEdge = (grid: ReturnType<typeof findGrid>): number =>
  Math.max(...(grid?.cells ?? []).map((c) => (c.box?.x ?? 0) + (c.box?.w ?? 0)));

describe('findGrid', () => {
  it('joins a border broken where a seal was lifted out, and only there', async () => {
    // The right border is gone from y = 250 to 500 (a seal's strokes took it): its lower piece
    // ends on no rule, and the value cells beside it would never close.
    const img = await pageOf([
      rule(100, 100, 1500, 100),
      rule(100, 600, 1500, 600),
      rule(100, 1600, 1500, 1600),
      rule(100, 100, 100, 1600),
      rule(400, 100, 400, 1600),
      rule(1500, 100, 1500, 250),
      rule(1500, 500, 1500, 1600),
    ]);
    const seal = (vertical: boolean, pos: number, from: number, to: number) =>
      vertical && Math.abs(pos - 1500) <= 3 && from >= 240 && to <= 510;
    const wide = (grid: ReturnType<typeof findGrid>) =>
      (grid?.cells ?? []).filter((c) => (c.box?.w ?? 0) > 900);
    expect(wide(findGrid(img))).toHaveLength(0);
    expect(wide(findGrid(img, { sealCover: () => false }))).toHaveLength(0);
    expect(wide(findGrid(img, { sealCover: seal })).map((c) => c.box?.y)).toEqual([
      expect.closeTo(100, -1),
      expect.closeTo(600, -1),
    ]);
  });

  it('finds cells with their spans', async () => {
    const grid = findGrid(await grey(tableSvg()));
    expect(grid).toBeDefined();
    const cells = grid?.cells ?? [];
    expect(cells).toHaveLength(5 + 4 + 2);
    const photo = cells.find((c) => c.row === 0 && c.col === 4);
    expect(photo).toMatchObject({ rowSpan: 2, colSpan: 1 });
    const wide = cells.find((c) => c.row === 2 && c.col === 1);
    expect(wide).toMatchObject({ rowSpan: 1, colSpan: 4 });
    const name = cells.find((c) => c.row === 0 && c.col === 0);
    expect(name?.box?.x).toBeGreaterThanOrEqual(96);
    expect(name?.box?.x).toBeLessThanOrEqual(104);
    expect(name?.box?.w).toBeGreaterThanOrEqual(195);
    expect(name?.box?.w).toBeLessThanOrEqual(205);
  });

  it('does not take text for rules', async () => {
    const grid = findGrid(await grey(tableSvg()));
    expect(grid?.xs).toHaveLength(6);
    expect(grid?.ys).toHaveLength(4);
  });

  it('returns nothing for a blank page', async () => {
    const blank = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="1000"><rect width="100%" height="100%" fill="white"/></svg>`;
    expect(findGrid(await grey(blank))).toBeUndefined();
  });
});

describe('findGrid on photographed pages', () => {
  // The same table, its rules grey (a blurred, forwarded photo), as level as deskew leaves it, under a shadow.
  function faintSvg(): string {
    return tableSvg()
      .replace(/stroke="black" stroke-width="4"/g, 'stroke="#9a9a9a" stroke-width="3"')
      .replace('</svg>', '<rect x="0" y="450" width="1600" height="450" fill="black" opacity="0.25"/></svg>');
  }

  it('finds faint, shadowed, slightly tilted rules by their local contrast', async () => {
    const img = await grey(faintSvg(), 0.25);
    expect(findGrid(img, { detector: 'threshold' })?.cells.length ?? 0).toBeLessThan(4);
    const grid = findGrid(img);
    expect(grid?.cells).toHaveLength(5 + 4 + 2);
    expect(grid?.cells.find((c) => c.row === 0 && c.col === 4)).toMatchObject({ rowSpan: 2, colSpan: 1 });
  });

  it('under uneven light, takes the contrast look when a shadow leaves the threshold look only part of the table', async () => {
    // Black rules; over the lower rows the light was lifted out of a shadow, and the rules there
    // came out light grey (~155). The threshold look still finds the cells above (more than a
    // handful), so only a page known to be unevenly lit is looked at both ways.
    const svg = tableSvg().replace(
      '</svg>',
      '<rect x="0" y="450" width="1600" height="1400" fill="white" opacity="0.6"/></svg>',
    );
    const img = await grey(svg);
    const threshold = findGrid(img, { detector: 'threshold' })?.cells.length ?? 0;
    const both = findGrid(img, { unevenLight: true })?.cells.length ?? 0;
    expect(findGrid(img)?.cells.length ?? 0).toBe(threshold);
    expect(both).toBeGreaterThan(threshold);
    expect(both).toBe(findGrid(await grey(tableSvg()))?.cells.length);
  });

  it('counts only cells that can hold a character when it weighs one look against the other', async () => {
    // The table's rules came out faint grey; a shadow's dark rim left two short dark bars and, between
    // them, a comb of dark strokes: to the threshold look, seven slivers of "cells" a few pixels wide.
    const comb = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => rule(700 + i * 16, 200, 700 + i * 16, 280, 4));
    const svg = twoRowTable([rule(800, 100, 800, 1600)])
      .replace(/stroke="black"/g, 'stroke="#b4b4b4"')
      .replace('</svg>', `${[rule(700, 200, 812, 200), rule(700, 280, 812, 280), ...comb].join('')}</svg>`);
    const img = await grey(svg);
    const slivers = findGrid(img, { detector: 'threshold' })?.cells ?? [];
    expect(slivers.length).toBeGreaterThanOrEqual(4);
    expect(slivers.every((c) => (c.box?.w ?? 0) < 30)).toBe(true);
    // The table's four cells are found (the comb, seen by both looks, is left as the slivers it is).
    const wide = (g: ReturnType<typeof findGrid>) => (g?.cells ?? []).filter((c) => (c.box?.w ?? 0) >= 100);
    expect(wide(findGrid(img))).toHaveLength(4);
    expect(wide(findGrid(img, { unevenLight: true }))).toHaveLength(4);
  });

  it('keeps the threshold result on a clean page', async () => {
    const img = await grey(tableSvg());
    expect(findGrid(img)).toEqual(findGrid(img, { detector: 'threshold' }));
  });

  it('finds a short rule that a character stroke below it touches', async () => {
    // A first row whose label column is wider than the next row's (a copy that broke the page
    // mid-table), and under its short divider a stroke of the next row's first character.
    const svg = twoRowTable([
      rule(400, 100, 400, 600),
      rule(300, 600, 300, 1600),
      rule(405, 560, 405, 690, 3), // the stroke: beside the divider's foot, 90 px below the rule
    ]);
    const grid = findGrid(await grey(svg));
    const first = (grid?.cells ?? []).filter((c) => (c.box?.y ?? 0) < 300);
    expect(first).toHaveLength(2);
    expect(first[0]?.box?.w).toBeGreaterThan(280);
  });

  it('does not cut a cell in two at a stroke of a large character', async () => {
    // A 100 px stroke (一 in a 20 pt label) inside the label cell, touching no rule.
    const svg = tableSvg().replace(
      '</svg>',
      '<rect x="140" y="560" width="110" height="6" fill="black"/></svg>',
    );
    const plain = findGrid(await grey(tableSvg()));
    const stroked = findGrid(await grey(svg));
    expect(stroked?.cells.map((c) => c.box)).toEqual(plain?.cells.map((c) => c.box));
  });

  it('finds a divider whose run a stroke below the rule carries a little past it', async () => {
    // The first line of the cell below set close under the rule: a stroke right under the
    // divider's foot makes one unbroken run 15 px longer than the divider.
    const svg = twoRowTable([
      rule(300, 100, 300, 1600),
      rule(800, 100, 800, 600),
      rule(800, 600, 800, 615, 3), // the stroke under the divider's foot
    ]);
    const grid = findGrid(await grey(svg));
    expect((grid?.cells ?? []).filter((c) => (c.box?.y ?? 0) < 300)).toHaveLength(3);
  });

  it('finds a divider carried on past its rule by a whole character stroke of the line below', async () => {
    // A first line set tight under the rule: the stroke under the divider's foot is most of a
    // character high (40 px), and the divider still ends at the rule it meets.
    const svg = twoRowTable([
      rule(300, 100, 300, 1600),
      rule(800, 100, 800, 600),
      rule(800, 600, 800, 640, 3),
    ]);
    const grid = findGrid(await grey(svg));
    expect((grid?.cells ?? []).filter((c) => (c.box?.y ?? 0) < 300)).toHaveLength(3);
    // The stroke does not cut the row below.
    expect((grid?.cells ?? []).filter((c) => (c.box?.y ?? 0) > 500)).toHaveLength(2);
  });
  it('closes the cells beside a border that the rules of a curled page stop short of', async () => {
    // The horizontal rules bend away 60 px before the right border and their straight runs end
    // there; the border itself is straight.
    const lines = [
      rule(100, 100, 1440, 100),
      rule(100, 600, 1440, 600),
      rule(100, 1600, 1440, 1600),
      rule(100, 100, 100, 1600),
      rule(1500, 100, 1500, 1600),
      rule(800, 100, 800, 1600),
    ];
    const grid = await gridOfPage(lines);
    expect(grid?.cells).toHaveLength(4);
    expect(rightEdge(grid)).toBeGreaterThan(1490);
  });
  it('closes a border whose end faded short of the rule it meets, so the cells beside it are kept', async () => {
    // A photo's corner: the right border starts 16 px below the top rule (the page is 1800 px
    // high), further than a stroke's reach; every rule still ends on it.
    const lines = [
      rule(100, 100, 1500, 100),
      rule(100, 600, 1500, 600),
      rule(100, 1600, 1500, 1600),
      rule(100, 100, 100, 1600),
      rule(800, 100, 800, 1600),
      rule(1500, 116, 1500, 1600),
    ];
    const grid = await gridOfPage(lines);
    expect(grid?.cells).toHaveLength(4);
    expect(rightEdge(grid)).toBeGreaterThan(1490);
  });

  it('carries the frame bent away at a curled corner to the rule that ends on it, and no inner divider', async () => {
    // The left frame's straight piece starts 150 px below the top rule (the page is 1800 px high);
    // the top rule ends where the frame stands. The inner divider at 800 starts at the middle rule,
    // which the top rule crosses: it stays where it starts.
    const lines = [
      rule(100, 100, 1500, 100),
      rule(100, 600, 1500, 600),
      rule(100, 1600, 1500, 1600),
      rule(100, 250, 100, 1600),
      rule(1500, 100, 1500, 1600),
      rule(800, 600, 800, 1600),
    ];
    const grid = await gridOfPage(lines);
    expect(grid?.cells).toHaveLength(3);
    const top = grid?.cells.find((c) => (c.box?.y ?? 0) < 150);
    expect(top?.box?.x).toBeLessThan(110);
    expect(top?.box?.w).toBeGreaterThan(1380);
  });

  it('carries a divider bent at a curled top to the rule its bent piece reaches', async () => {
    // The divider at 800 is straight from the bottom rule up to 640, then leans 30 px over the
    // last 540 px to the top rule: the bent piece is many short runs, none long enough to be the
    // rule's own, and the straight run stops further below the middle rule than a break is bridged.
    const grid = findGrid(await grey(twoRowTable([rule(800, 1600, 800, 640), rule(800, 640, 830, 100)])));
    expect(grid?.cells).toHaveLength(4);
    expect((grid?.cells ?? []).filter((c) => (c.box?.y ?? 0) < 150)).toHaveLength(2);
  });

  it('carries a divider bent at a curled top to a rule its bent piece stops a break short of', async () => {
    // As above, but the bent piece fades 16 px below the top rule (the page is 1800 px high): more
    // than a stroke's reach, no more than a break bridged between a rule's own pieces.
    const grid = findGrid(await grey(twoRowTable([rule(800, 1600, 800, 640), rule(800, 640, 830, 116)])));
    expect(grid?.cells).toHaveLength(4);
    expect((grid?.cells ?? []).filter((c) => (c.box?.y ?? 0) < 150)).toHaveLength(2);
  });

  it('closes a border that both stops short of the outer rules and is stopped short of by them', async () => {
    // A curled edge: every horizontal rule ends 60 px before the right border, and the border's
    // straight run ends 16 px short of the top and bottom rules.
    const lines = [
      rule(100, 100, 1440, 100),
      rule(100, 600, 1440, 600),
      rule(100, 1600, 1440, 1600),
      rule(100, 100, 100, 1600),
      rule(800, 100, 800, 1600),
      rule(1500, 116, 1500, 1584),
    ];
    const grid = await gridOfPage(lines);
    expect(grid?.cells).toHaveLength(4);
    expect(rightEdge(grid)).toBeGreaterThan(1490);
  });

  it('joins the pieces of a border that worn toner broke, so the cells beside it are kept', async () => {
    // The right border breaks for 16 px (~1.5 mm at 300 dpi; the page is 1800 px high) below the
    // last rule that meets its top piece: no piece ends on rules at both ends.
    const pieces = [
      [100, 1180],
      [1196, 1320],
      [1336, 1500],
      [1516, 1600],
    ].map(([a, b]) => rule(1500, a as number, 1500, b as number));
    const lines = [
      rule(100, 100, 1500, 100),
      rule(100, 600, 1500, 600),
      rule(100, 1600, 1500, 1600),
      rule(100, 100, 100, 1600),
      rule(800, 100, 800, 1600),
      ...pieces,
    ];
    const grid = await gridOfPage(lines);
    expect(grid?.cells).toHaveLength(4);
    expect(rightEdge(grid)).toBeGreaterThan(1490);
  });
});
