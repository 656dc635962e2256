import { readFile } from 'node:fs/promises';
import { DockerfileParser } from 'dockerfile-ast';

/**
 * The ENV a stage of the Dockerfile sets (its own and its parent stages'), without PATH,
 * which only makes sense inside the image. Lets local runs use the image's settings
 * (NODE_ENV, LOG_FORMAT, ...) instead of a copy that could drift.
 */
export async function replayDockerfileEnvironment(
  dockerfile: string,
  stageName: string,
): Promise<Record<string, string>> {
  const parsed = DockerfileParser.parse(await readFile(dockerfile, 'utf8'));
  const byStage = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const instruction of parsed.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const args = instruction.getArguments().map((a) => a.getValue());
    if (keyword === 'FROM') {
      const asIndex = args.findIndex((a) => a.toUpperCase() === 'AS');
      const name = asIndex >= 0 ? (args[asIndex + 1] ?? '') : `stage-${byStage.size}`;
      current = { ...(byStage.get(args[0] ?? '') ?? {}) };
      byStage.set(name, current);
    } else if (keyword === 'ENV' && current) {
      const properties = (
        instruction as unknown as {
          getProperties(): { getName(): string; getValue(): string | null }[];
        }
      ).getProperties();
      for (const property of properties) {
        if (property.getName() !== 'PATH') current[property.getName()] = property.getValue() ?? '';
      }
    }
  }
  const env = byStage.get(stageName);
  if (!env) throw new Error(`the Dockerfile has no stage ${stageName}`);
  return env;
}
