import type { Figure } from '../harness.ts';
import { afterStopFigure } from './afterStop.ts';
import { latencyFigure } from './latency.ts';
import { refreshFigure } from './refresh.ts';
import { rendersFigure } from './renders.ts';
import { requestsFigure } from './requests.ts';
import { scaleFigure } from './scale.ts';
import { sizeFigure } from './size.ts';

/** Figures 1–6 of the "Benchmarks and quality gates" issue, in order (after-stop is the second half of 2). */
export const FIGURES: Figure[] = [
  sizeFigure,
  requestsFigure,
  afterStopFigure,
  latencyFigure,
  rendersFigure,
  refreshFigure,
  scaleFigure,
];
