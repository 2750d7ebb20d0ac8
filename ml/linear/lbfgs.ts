import { MlError, throwIfAborted } from '../core/errors';

/**
 * Limited-memory BFGS minimisation with a backtracking line search under the
 * Armijo condition (with curvature-safe memory updates). Optional L1 via OWL-QN
 * (orthant-wise), applied to the coordinates `l1Mask` marks.
 */
export type Objective = (x: Float64Array, grad: Float64Array) => number;
export type LbfgsOptions = {
  maxIterations: number;
  /** Stop when the largest (pseudo-)gradient component is below this. */
  gradientTolerance: number;
  memory?: number;
  l1?: number;
  l1Mask?: Uint8Array;
  /**
   * Diagonal preconditioner: an estimate of the inverse Hessian's diagonal. It
   * changes the path, not the objective: sparse features of very different
   * frequencies otherwise make the problem badly conditioned.
   */
  preconditioner?: Float64Array;
  onIteration?: (iteration: number, loss: number, gradNorm: number) => void;
  signal?: AbortSignal;
};
export type LbfgsResult = { x: Float64Array; loss: number; iterations: number; converged: boolean; gradNorm: number };

function dot(a: Float64Array, b: Float64Array) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function l1Term(x: Float64Array, l1: number, mask?: Uint8Array) {
  if (!l1) return 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) if (!mask || mask[i]) s += Math.abs(x[i]!);
  return l1 * s;
}

/** OWL-QN pseudo-gradient of f + l1·|x|. */
function pseudoGradient(x: Float64Array, g: Float64Array, l1: number, mask: Uint8Array | undefined, out: Float64Array) {
  for (let i = 0; i < x.length; i++) {
    if (!l1 || (mask && !mask[i])) {
      out[i] = g[i]!;
    } else if (x[i]! > 0) out[i] = g[i]! + l1;
    else if (x[i]! < 0) out[i] = g[i]! - l1;
    else if (g[i]! + l1 < 0) out[i] = g[i]! + l1;
    else if (g[i]! - l1 > 0) out[i] = g[i]! - l1;
    else out[i] = 0;
  }
}

export function minimizeLbfgs(f: Objective, x0: Float64Array, opts: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  const m = opts.memory ?? 10;
  const l1 = opts.l1 ?? 0;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const pg = new Float64Array(n);
  let loss = f(x, g) + l1Term(x, l1, opts.l1Mask);
  if (!Number.isFinite(loss)) throw new MlError('INVALID_DATA', 'The loss is not finite at the starting point (check the inputs for huge values)');
  pseudoGradient(x, g, l1, opts.l1Mask, pg);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const alpha = new Float64Array(m);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const pgNew = new Float64Array(n);
  let gradNorm = maxAbs(pg);
  let iteration = 0;
  for (; iteration < opts.maxIterations && gradNorm > opts.gradientTolerance; iteration++) {
    throwIfAborted(opts.signal);
    // Two-loop recursion: d = -H·pg.
    for (let i = 0; i < n; i++) d[i] = -pg[i]!;
    for (let j = s.length - 1; j >= 0; j--) {
      alpha[j] = rho[j]! * dot(s[j]!, d);
      const yj = y[j]!;
      for (let i = 0; i < n; i++) d[i]! -= alpha[j]! * yj[i]!;
    }
    const D = opts.preconditioner;
    let gamma: number;
    if (s.length) {
      const yl = y[y.length - 1]!;
      let yDy = 0;
      for (let i = 0; i < n; i++) yDy += yl[i]! * yl[i]! * (D ? D[i]! : 1);
      gamma = dot(s[s.length - 1]!, yl) / yDy;
    } else {
      gamma = D ? 1 : 1 / Math.max(1, norm2(pg));
    }
    for (let i = 0; i < n; i++) d[i]! *= gamma * (D ? D[i]! : 1);
    for (let j = 0; j < s.length; j++) {
      const beta = rho[j]! * dot(y[j]!, d);
      const sj = s[j]!;
      for (let i = 0; i < n; i++) d[i]! += (alpha[j]! - beta) * sj[i]!;
    }
    if (l1) for (let i = 0; i < n; i++) if (d[i]! * pg[i]! >= 0) d[i] = 0; // stay a descent direction per orthant
    let slope = dot(pg, d);
    if (slope >= 0) {
      // Lost curvature information: restart from steepest descent.
      s.length = 0; y.length = 0; rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -pg[i]! / Math.max(1, norm2(pg));
      slope = dot(pg, d);
    }
    let step = 1;
    let newLoss = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) {
        let v = x[i]! + step * d[i]!;
        // OWL-QN: do not cross orthants.
        if (l1 && (!opts.l1Mask || opts.l1Mask[i])) {
          const orthant = x[i]! !== 0 ? Math.sign(x[i]!) : -Math.sign(pg[i]!);
          if (Math.sign(v) !== orthant) v = 0;
        }
        xNew[i] = v;
      }
      newLoss = f(xNew, gNew) + l1Term(xNew, l1, opts.l1Mask);
      if (newLoss <= loss + 1e-4 * step * slope) break;
      step *= step > 0.1 ? 0.5 : 0.1;
    }
    if (!(newLoss <= loss + 1e-4 * step * slope)) break; // no progress possible: at the optimum within precision
    pseudoGradient(xNew, gNew, l1, opts.l1Mask, pgNew);
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i]! - x[i]!;
      yk[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12) {
      if (s.length === m) {
        s.shift(); y.shift(); rho.shift();
      }
      s.push(sk); y.push(yk); rho.push(1 / sy);
    }
    const improvement = loss - newLoss;
    x.set(xNew); g.set(gNew); pg.set(pgNew);
    loss = newLoss;
    gradNorm = maxAbs(pg);
    opts.onIteration?.(iteration + 1, loss, gradNorm);
    if (improvement <= 1e-12 * Math.max(1, Math.abs(loss))) { iteration++; break; }
  }
  return { x, loss, iterations: iteration, converged: gradNorm <= opts.gradientTolerance, gradNorm };
}

function maxAbs(v: Float64Array) {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}

function norm2(v: Float64Array) {
  return Math.sqrt(dot(v, v));
}
