import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { asArray, dig, isObject, type YamlObject } from './yaml-documents.js';

/** A Terraform configuration parsed file by file (HCL → JSON, offline, in WebAssembly). */
export interface TerraformConfig {
  readonly files: Record<string, string>;
  readonly parsed: Record<string, YamlObject>;
}

/** Parses every .tf file of a directory; throws naming the file on a syntax error. */
export async function loadTerraform(dir: string): Promise<TerraformConfig> {
  const files: Record<string, string> = {};
  const parsed: Record<string, YamlObject> = {};
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.tf')).sort()) {
    const text = await readFile(join(dir, name), 'utf8');
    files[name] = text;
    try {
      parsed[name] = (await parse(name, text)) as YamlObject;
    } catch (error) {
      throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { files, parsed };
}

/** Every block of one type (resource, variable, ...) across files: [labels..., body]. */
export function blocks(config: TerraformConfig, type: string): Map<string, YamlObject> {
  const found = new Map<string, YamlObject>();
  for (const file of Object.values(config.parsed)) {
    const section = file[type];
    if (!isObject(section)) continue;
    for (const [first, value] of Object.entries(section)) {
      if (Array.isArray(value)) {
        found.set(first, value[0] as YamlObject);
      } else if (isObject(value)) {
        for (const [second, body] of Object.entries(value)) {
          found.set(`${first}.${second}`, asArray(body)[0] as YamlObject);
        }
      }
    }
  }
  return found;
}

/** The value of an attribute of a resource, as hcl2json writes it ("${...}" for expressions). */
export function attribute(config: TerraformConfig, address: string, ...path: (string | number)[]) {
  return dig(blocks(config, 'resource').get(address), ...path);
}

// Strips strings and comments so that braces inside them do not count.
function code(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/(#|\/\/).*$/, '');
}

/**
 * Layout problems against what `terraform fmt` writes: two-space indentation per
 * nesting level, no tabs or trailing spaces, one final newline, and the `=` of
 * consecutive attribute lines aligned one space after the longest name.
 */
export function layoutProblems(name: string, text: string): string[] {
  const problems: string[] = [];
  if (!text.endsWith('\n') || text.endsWith('\n\n'))
    problems.push(`${name}: must end with one newline`);
  const lines = text.split('\n');
  // One indentation level per line that leaves brackets open, however many it opens
  // (`toset([` is one level): each entry counts the brackets a level still holds.
  const levels: number[] = [];
  const close = (count: number): number => {
    let popped = 0;
    let left = count;
    while (left > 0 && levels.length > 0) {
      const top = (levels[levels.length - 1] ?? 0) - 1;
      left -= 1;
      if (top === 0) {
        levels.pop();
        popped += 1;
      } else {
        levels[levels.length - 1] = top;
      }
    }
    return popped;
  };
  let run: { line: number; indent: number; key: string; equals: number }[] = [];
  const closeRun = () => {
    if (run.length > 0) {
      const longest = Math.max(...run.map((r) => r.key.length));
      for (const r of run) {
        if (r.equals !== r.indent + longest + 1) {
          problems.push(`${name}:${r.line}: "=" not aligned with its neighbours`);
        }
      }
    }
    run = [];
  };
  lines.forEach((line, index) => {
    const number = index + 1;
    if (line.includes('\t')) problems.push(`${name}:${number}: tab`);
    if (/\s+$/.test(line)) problems.push(`${name}:${number}: trailing whitespace`);
    const stripped = code(line).trim();
    const leadingCloses = stripped.match(/^[}\])]+/)?.[0].length ?? 0;
    const before = levels.length;
    const leadingLevels = close(leadingCloses);
    const expected = 2 * (before - leadingLevels);
    const rest = stripped.slice(leadingCloses);
    let balance = 0;
    for (const char of rest) {
      if ('{[('.includes(char)) balance += 1;
      else if ('}])'.includes(char)) {
        if (balance > 0) balance -= 1;
        else close(1);
      }
    }
    const indent = line.length - line.trimStart().length;
    if (line.trim() !== '' && indent !== expected) {
      problems.push(`${name}:${number}: indented ${indent}, expected ${expected}`);
    }
    const assignment = /^(\s*)([A-Za-z_][\w-]*|"[^"]*")(\s*)=(?!=)/.exec(line);
    if (assignment && indent === expected) {
      const key = assignment[2] ?? '';
      const equals = line.indexOf('=', indent + key.length);
      if (run.length > 0 && run[0]?.indent !== indent) closeRun();
      run.push({ line: number, indent, key, equals });
    } else {
      closeRun();
    }
    if (balance > 0) {
      levels.push(balance);
      // A value that spans lines ends the run it started.
      closeRun();
    }
  });
  closeRun();
  return problems;
}
