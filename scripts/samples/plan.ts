// Which pages of which records become which sample files, and how each is spoilt. Not every record
// is scanned (samples/ must stay under 8 MB): 24 pages across the formats the bureau receives, each
// case ingest has to handle appearing at least once.
import type { PageStyle } from './degrade.js';

export type ScanFormat = 'jpeg' | 'png' | 'tiff' | 'pdf';

export interface ScanPagePlan {
  record: string;
  formPage: 1 | 2;
  style: PageStyle;
  upsideDown?: boolean;
}

export interface ScanFilePlan {
  file: string;
  format: ScanFormat;
  /** What this file stands for, for whoever opens the truth file. */
  description: string;
  pages: ScanPagePlan[];
}

/** JPEG quality per page style: moderate, as office scanners and phones save them. */
export const JPEG_QUALITY: Record<PageStyle, number> = {
  'scan-grey': 50,
  'scan-colour': 55,
  'scan-bilevel': 0,
  photo: 60,
  clean: 0,
};

const page = (record: string, formPage: 1 | 2, style: PageStyle, upsideDown = false): ScanPagePlan =>
  upsideDown ? { record, formPage, style, upsideDown } : { record, formPage, style };

export const SCAN_PLAN: readonly ScanFilePlan[] = [
  {
    file: 'feeder-batch-01.pdf',
    format: 'pdf',
    description:
      'A document-feeder run over a stack of several submissions, one JPEG per page; the scanner picked colour for pages with red seals and greyscale for the rest. Page 4 went through upside down.',
    pages: [
      page('reg-01', 1, 'scan-grey'),
      page('reg-01', 2, 'scan-colour'),
      page('reg-04', 1, 'scan-grey'),
      page('reg-04', 2, 'scan-grey', true),
      page('prob-01', 1, 'scan-grey'),
      page('dem-07', 1, 'scan-grey'),
      page('dem-07', 2, 'scan-colour'),
    ],
  },
  {
    file: 'scan-20200526-001.jpg',
    format: 'jpeg',
    description: 'Flatbed scan, greyscale JPEG, one page per file.',
    pages: [page('reg-02', 1, 'scan-grey')],
  },
  {
    file: 'scan-20200526-002.jpg',
    format: 'jpeg',
    description: 'Flatbed scan, colour JPEG (the page with the recommending unit’s seal).',
    pages: [page('reg-02', 2, 'scan-colour')],
  },
  {
    file: 'scan-20200526-003.jpg',
    format: 'jpeg',
    description: 'Flatbed scan, greyscale JPEG.',
    pages: [page('dem-02', 1, 'scan-grey')],
  },
  {
    file: 'scan-20200526-004.jpg',
    format: 'jpeg',
    description: 'Flatbed scan, greyscale JPEG of a sealed page: the red seal is only a grey disc here.',
    pages: [page('dem-02', 2, 'scan-grey')],
  },
  {
    file: '景德镇市恒固精密陶瓷有限公司需求表.pdf',
    format: 'pdf',
    description:
      'One submission scanned to PDF by the enterprise itself (non-ASCII file name, as people name them).',
    pages: [page('dem-04', 1, 'scan-grey'), page('dem-04', 2, 'scan-colour')],
  },
  {
    file: 'scan-20200528.tif',
    format: 'tiff',
    description:
      'Office scanner in black-and-white mode: a multi-page CCITT G4 TIFF holding two submissions; the seals come out as black speckled discs over the text.',
    pages: [
      page('reg-06', 1, 'scan-bilevel'),
      page('reg-06', 2, 'scan-bilevel'),
      page('dem-06', 1, 'scan-bilevel'),
      page('dem-06', 2, 'scan-bilevel'),
    ],
  },
  {
    file: 'prob-02-export.png',
    format: 'png',
    description:
      'Not a scan: the filled form exported straight to an image (no skew, no noise), greyscale PNG.',
    pages: [page('prob-02', 1, 'clean')],
  },
  {
    file: 'reg-05-p1.png',
    format: 'png',
    description: 'Flatbed scan in black-and-white (text) mode, saved as a 1-bit PNG by the scanner software.',
    pages: [page('reg-05', 1, 'scan-bilevel')],
  },
  {
    file: 'reg-05-p2.png',
    format: 'png',
    description:
      'Exported image of the signed page with seal images pasted in (colour, palette-reduced PNG).',
    pages: [page('reg-05', 2, 'clean')],
  },
  {
    file: 'IMG_20200525_093112.jpg',
    format: 'jpeg',
    description:
      'Phone photo of a page lying on a desk: perspective, lamp light, background around the page.',
    pages: [page('reg-03', 1, 'photo')],
  },
  {
    file: 'IMG_20200525_093140.jpg',
    format: 'jpeg',
    description: 'Phone photo of the sealed second page.',
    pages: [page('reg-03', 2, 'photo')],
  },
  {
    file: 'IMG_20200526_151020.jpg',
    format: 'jpeg',
    description: 'Phone photo, first page of a demand form.',
    pages: [page('dem-09', 1, 'photo')],
  },
  {
    file: 'IMG_20200526_151047.jpg',
    format: 'jpeg',
    description: 'Phone photo, second page of the same demand form.',
    pages: [page('dem-09', 2, 'photo')],
  },
];
