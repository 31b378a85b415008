// The CPU-heavy first half of reading a page: prepare (orientation, skew, perspective, light, red
// ink) and the table grid. Pure pixel work in JavaScript, ~0.8 s a page; see off-thread.ts for why
// it runs on its own thread.
import { findGrid, type GridOptions, type TableGrid } from '../locate/grid.js';
import { type PreparedPage, preparePage } from '../prepare/index.js';
import { sealCover } from '../prepare/redink.js';

export interface PageLayout {
  prepared: PreparedPage;
  grid: TableGrid | undefined;
}

export async function prepareAndLocate(image: Buffer): Promise<PageLayout> {
  const prepared = await preparePage(image);
  return { prepared, grid: findGrid(prepared.page, gridOptions(prepared)) };
}

/** How the grid is looked for on a prepared page: the light it had, the seals on its colour copy. */
export function gridOptions(prepared: PreparedPage): GridOptions {
  return {
    unevenLight: prepared.steps.illumination.flattened,
    ...(prepared.colour ? { sealCover: sealCover(prepared.colour, prepared.page) } : {}),
  };
}
