// Metrics and traces settings; config.ts spreads `observabilityEnvironment` into its schema.
import { z } from 'zod';

export const observabilityEnvironment = {
  /** Bearer token for GET /metrics; unset = /metrics is not served. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
  /** Operation names of ADMIN/SUPPORT documents kept as metric labels (besides trusted documents'). */
  METRICS_MAX_OPERATION_NAMES: z.coerce.number().int().min(0).max(1_000).default(100),
  /** OTLP/HTTP collector (e.g. http://127.0.0.1:4318); unset = no traces. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** service.name of the traces. */
  OTEL_SERVICE_NAME: z.string().min(1).max(100).default('merchant-data-api'),
};

export interface ObservabilitySettings {
  metricsToken: string | undefined;
  maxOperationNames: number;
  otlpEndpoint: string | undefined;
  serviceName: string;
}

export function observabilitySettingsOf(
  e: z.output<z.ZodObject<typeof observabilityEnvironment>>,
): ObservabilitySettings {
  return {
    metricsToken: e.METRICS_TOKEN,
    maxOperationNames: e.METRICS_MAX_OPERATION_NAMES,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: e.OTEL_SERVICE_NAME,
  };
}
