import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Output } from '../../shared/contract.ts';
import { issuesFromZod } from '../../shared/errors.ts';
import { CustomRule, DEFAULT_STYLE, StyleConfig } from '../../shared/style/houseStyle.ts';
import type { ServiceContext } from './context.ts';

export const STYLE_FILE = 'house-style.json';

/**
 * The newsroom's house-style settings and extra rules, from house-style.json in the
 * data folder. A broken file never stops the built-in rules: its problems are
 * reported (which line of the file to fix) and the good parts still apply.
 */
export function styleConfig(ctx: ServiceContext): Output<'style.config'> {
  const file = join(ctx.dataDir, STYLE_FILE);
  if (!existsSync(file)) return { config: DEFAULT_STYLE, problems: [], file };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { config: DEFAULT_STYLE, problems: [`${STYLE_FILE} is not valid JSON (${(error as Error).message}); using the built-in rules.`], file };
  }
  const rules = (raw as { rules?: unknown[] })?.rules;
  const problems: string[] = [];
  // Check each custom rule on its own, so one bad rule does not discard the rest.
  const goodRules = Array.isArray(rules)
    ? rules.filter((rule, i) => {
        const parsed = CustomRule.safeParse(rule);
        if (!parsed.success) {
          problems.push(`${STYLE_FILE} rules[${i}]: ${issuesFromZod(parsed.error).map((p) => `${p.path}: ${p.message}`).join('; ')}`);
          return false;
        }
        try {
          new RegExp(parsed.data.pattern, parsed.data.flags);
          return true;
        } catch (error) {
          problems.push(`${STYLE_FILE} rules[${i}] (${parsed.data.id}): the pattern is not a valid regular expression (${(error as Error).message}).`);
          return false;
        }
      })
    : [];
  const parsed = StyleConfig.safeParse({ ...(raw as object), rules: goodRules });
  if (!parsed.success) {
    problems.push(...issuesFromZod(parsed.error).map((p) => `${STYLE_FILE} ${p.path}: ${p.message}`));
    return { config: { ...DEFAULT_STYLE, rules: StyleConfig.parse({ rules: goodRules }).rules }, problems, file };
  }
  return { config: parsed.data, problems, file };
}
