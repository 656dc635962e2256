/** Euler-Mascheroni constant. */
const EULER_GAMMA = 0.5772156649015329;

/** The logarithmic integral li(x) = Ei(ln x), by its everywhere-positive series (x > 1). */
function logarithmicIntegral(x: number): number {
  const t = Math.log(x);
  let term = 1;
  let sum = 0;
  for (let k = 1; k < 200; k++) {
    term *= t / k; // t^k / k!
    const next = term / k;
    sum += next;
    if (next < sum * 1e-17) break;
  }
  return EULER_GAMMA + Math.log(t) + sum;
}

/** Moebius function for the small k used below. */
function mobius(k: number): number {
  let result = 1;
  let rest = k;
  for (let p = 2; p * p <= rest; p++) {
    if (rest % p !== 0) continue;
    rest /= p;
    if (rest % p === 0) return 0;
    result = -result;
  }
  return rest > 1 ? -result : result;
}

/** Riemann's R(x) = sum over k of mu(k) / k * li(x^(1/k)): within a few sqrt(x) of pi(x). */
function riemannR(x: number): number {
  let sum = 0;
  for (let k = 1; ; k++) {
    const root = x ** (1 / k);
    if (root < 2) break;
    const mu = mobius(k);
    if (mu !== 0) sum += (mu / k) * logarithmicIntegral(root);
  }
  return sum;
}

/** The x with R(x) = n, by Newton's method (R'(x) is about 1 / ln x): an estimate of p(n). */
export function inverseRiemannR(n: number): number {
  let x = n * Math.log(n) + n * Math.log(Math.log(n));
  for (let i = 0; i < 100; i++) {
    const step = (riemannR(x) - n) * Math.log(x);
    x -= step;
    if (Math.abs(step) < 0.5) break;
  }
  return Math.round(x);
}
