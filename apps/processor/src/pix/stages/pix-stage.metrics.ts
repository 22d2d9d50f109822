import { Injectable, type Provider } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';

/** The stages a consumer runs: `antifraud` (request + decision) and `settlement`. */
export type PixStage = 'antifraud' | 'settlement';

const STAGE_DURATION = 'processor_pix_stage_duration_seconds';
const STAGE_OUTCOMES = 'processor_pix_stage_outcomes_total';
const REJECTIONS = 'processor_pix_rejections_total';
const DEAD_LETTERS = 'processor_pix_dead_letters_total';

/** PIX stage series; every label value comes from a closed set defined in code. */
@Injectable()
export class PixStageMetrics {
  constructor(
    @InjectMetric(STAGE_DURATION) readonly duration: Histogram<'stage'>,
    @InjectMetric(STAGE_OUTCOMES) readonly outcomes: Counter<'stage' | 'outcome'>,
    @InjectMetric(REJECTIONS) readonly rejections: Counter<'reason'>,
    @InjectMetric(DEAD_LETTERS) readonly deadLetters: Counter<'stage' | 'reason'>,
  ) {}
}

export const PIX_STAGE_METRICS: Provider[] = [
  makeHistogramProvider({
    name: STAGE_DURATION,
    help: 'Time one PIX stage took per payment (its share of its chunk’s transaction), by stage',
    labelNames: ['stage'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }),
  makeCounterProvider({
    name: STAGE_OUTCOMES,
    help: 'PIX stage results by stage and outcome (validated, rejected, settled, insufficient-funds, already-final…)',
    labelNames: ['stage', 'outcome'],
  }),
  makeCounterProvider({
    name: REJECTIONS,
    help: 'PIX payments rejected, by stable rejection code (antifraud rules, INSUFFICIENT_FUNDS)',
    labelNames: ['reason'],
  }),
  makeCounterProvider({
    name: DEAD_LETTERS,
    help: 'PIX stage records sent to the PIX dead-letter topic, by stage and reason code',
    labelNames: ['stage', 'reason'],
  }),
  PixStageMetrics,
];
