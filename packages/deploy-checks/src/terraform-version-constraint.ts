/** Whether a Terraform version constraint (`~> 6.50`, `>= 1.2, < 2`, `= 3.1.1`) admits a version. */
export function constraintAdmits(constraint: string, version: string): boolean {
  const parse = (v: string) => v.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  };
  const have = parse(version);
  return constraint.split(',').every((part) => {
    const match = /^\s*(~>|>=|<=|!=|=|>|<)?\s*(\d+(?:\.\d+)*)\s*$/.exec(part);
    if (!match?.[2]) return false;
    const want = parse(match[2]);
    const order = compare(have, want);
    switch (match[1] ?? '=') {
      case '~>': {
        // ~> 6.50 means >= 6.50, < 7; ~> 6.50.1 means >= 6.50.1, < 6.51.
        const upper = want.slice(0, Math.max(1, want.length - 1));
        upper[upper.length - 1] = (upper[upper.length - 1] ?? 0) + 1;
        return order >= 0 && compare(have, upper) < 0;
      }
      case '>=':
        return order >= 0;
      case '<=':
        return order <= 0;
      case '>':
        return order > 0;
      case '<':
        return order < 0;
      case '!=':
        return order !== 0;
      default:
        return order === 0;
    }
  });
}
