import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { FastCounter, FastHistogram } from './fast-metrics';

/**
 * The service's Prometheus metrics, in two parts: what each serving process
 * counts (requests, latency, predictions, errors; createMetrics) and what the
 * instance reports once, from whoever follows the manifest (model, revision,
 * swaps, refusals; createInstanceMetrics). One process holds both in one
 * registry; a cluster's workers hold the first and its primary the second, and
 * the primary adds them up (cluster-metrics.ts). What every request touches is
 * counted in plain numbers (fast-metrics.ts) and each label set's counter is
 * looked up once and cached.
 */
export type Metrics = ReturnType<typeof createMetrics>;
export type InstanceMetrics = ReturnType<typeof createInstanceMetrics>;

type Inc = { inc(value?: number): void };
type Observe = { observe(value: number): void };

export const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2];

export function createMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: 'inference_' });
  const requests = new FastCounter({ name: 'inference_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers: [registry] });
  const latency = new FastHistogram({ name: 'inference_http_request_duration_seconds', help: 'Request latency', labelNames: ['route'], buckets: LATENCY_BUCKETS, registers: [registry] });
  const predictions = new FastCounter({ name: 'inference_predictions_total', help: 'Baskets predicted, by predicted label', labelNames: ['label'], registers: [registry] });
  const errors = new FastCounter({ name: 'inference_errors_total', help: 'Error responses by error code', labelNames: ['code'], registers: [registry] });
  const feedback = new FastCounter({ name: 'inference_feedback_total', help: 'Feedback records accepted, by true label', labelNames: ['label'], registers: [registry] });
  const telemetryDropped = new Counter({ name: 'inference_telemetry_dropped_total', help: 'Telemetry records dropped (buffer full or write failed)', registers: [registry] });

  const cached = <K, T>(map: Map<K, T>, key: K, make: () => T): T => {
    let child = map.get(key);
    if (!child) map.set(key, (child = make()));
    return child;
  };
  const requestChildren = new Map<string, Map<number, Inc>>();
  const latencyChildren = new Map<string, Observe>();
  const predictionChildren = new Map<string, Inc>();
  const errorChildren = new Map<string, Inc>();
  const feedbackChildren = new Map<string, Inc>();

  return {
    registry,
    observeRequest(route: string, status: number, seconds: number) {
      // Nested by route then status: no key string built per request.
      cached(cached(requestChildren, route, () => new Map<number, Inc>()), status, () => requests.child(route, String(status))).inc();
      cached(latencyChildren, route, () => latency.child(route)).observe(seconds);
    },
    countPrediction(label: string) {
      cached(predictionChildren, label, () => predictions.child(label)).inc();
    },
    countError(code: string) {
      cached(errorChildren, code, () => errors.child(code)).inc();
    },
    countFeedback(label: string) {
      cached(feedbackChildren, label, () => feedback.child(label)).inc();
    },
    telemetryDropped,
  };
}

export function createInstanceMetrics(registry: Registry) {
  const modelInfo = new Gauge({ name: 'inference_model_info', help: 'The model this instance serves (1), by version id, version and artifact sha256', labelNames: ['version_id', 'version', 'sha256'], registers: [registry] });
  const manifestRevision = new Gauge({ name: 'inference_manifest_revision', help: 'Revision of the last deployment manifest applied (-1: none yet)', registers: [registry] });
  const swaps = new Counter({ name: 'inference_model_swaps_total', help: 'Models loaded, verified and swapped in', registers: [registry] });
  const refusals = new Counter({ name: 'inference_model_refusals_total', help: 'Deployed models refused (unreadable, tampered, wrong seal, failed warm-up)', registers: [registry] });
  manifestRevision.set(-1);
  return {
    registry,
    setModel(model: { versionId: string; version: number; sha256: string } | null) {
      modelInfo.reset();
      if (model) modelInfo.set({ version_id: model.versionId, version: String(model.version), sha256: model.sha256 }, 1);
    },
    setManifestRevision(revision: number | null) {
      manifestRevision.set(revision ?? -1);
    },
    swaps,
    refusals,
  };
}
