// Parsing of `.github/go-preflight.yml`: a pure function of the file's text that throws
// ConfigurationError naming `file:line:col` and the key. Kept apart from config.ts so that the
// YAML parser is loaded only when a config file exists (start-up time).

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { ConfigurationError } from './errors.js';
import { clipValue } from './safe-read.js';
import type { OptionSpec } from './config-spec.js';
import { checkPackagePattern, configSpec, parseTarget, type FileConfig } from './config.js';
import { CHECK_IDS, isCheckId, type Check, type CheckId, type Level, type Mode } from './types.js';

/** Uses of YAML aliases accepted in one config file (a real file needs a handful). */
const MAX_ALIAS_USES = 100;

/** Parse and validate the config file's text. Throws ConfigurationError with file:line:col and key. */
export function parseConfig(text: string, file: string, checks: Partial<Record<CheckId, Check>>): FileConfig {
  try {
    return parseConfigText(text, file, checks);
  } catch (e) {
    if (e instanceof ConfigurationError) throw e;
    // The parser itself gave up (nesting deeper than the stack, ...): still the file's fault, one line.
    throw new ConfigurationError(`YAML go-preflight cannot read (${e instanceof Error ? e.name : 'parser error'}): simplify the file`, file);
  }
}

function parseConfigText(text: string, file: string, checks: Partial<Record<CheckId, Check>>): FileConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (node: YamlNode | null | undefined, key?: string) => {
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    return `${file}${pos ? `:${pos.line}:${pos.col}` : ''}${key ? ` (${key})` : ''}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    throw new ConfigurationError(`YAML syntax error: ${e.message.split('\n')[0]}`, `${file}${pos ? `:${pos.line}:${pos.col}` : ''}`);
  }
  // Anchors and aliases (`&base` / `*base`) are valid YAML: an alias stands for the node it names.
  // Each use counts, so a "billion laughs" file of aliases to lists of aliases stops at the cap.
  let aliasUses = 0;
  const deref = (node: YamlNode | null | undefined): YamlNode | null => {
    let n: unknown = node ?? null;
    for (let hops = 0; isAlias(n); hops++) {
      if (++aliasUses > MAX_ALIAS_USES || hops > MAX_ALIAS_USES) {
        throw new ConfigurationError(`more than ${MAX_ALIAS_USES} uses of YAML aliases (*name): write the values out`, at(node));
      }
      const target = n.resolve(doc);
      if (!target) throw new ConfigurationError(`the alias *${n.source} names no anchor`, at(node));
      n = target;
    }
    return n as YamlNode | null;
  };
  const out: FileConfig = { checks: {}, file, lines: {} };
  const lineOf = (node: YamlNode | null | undefined): number | undefined => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
  const mark = (key: string, node: YamlNode | null | undefined) => {
    const l = lineOf(node);
    if (l !== undefined) out.lines![key] = l;
  };
  const root = deref(doc.contents as YamlNode | null);
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { checks: {} };
  if (!isMap(root)) throw new ConfigurationError('the configuration must be a mapping of keys (mode, targets, checks...)', at(root));

  const validate = (raw: YamlNode | null, spec: OptionSpec, key: string): unknown => {
    // Positions name where the value is used (the alias), the value is the anchored node's.
    const fail = (msg: string): never => {
      throw new ConfigurationError(msg, at(raw, key));
    };
    const node = deref(raw);
    switch (spec.type) {
      case 'string': {
        if (!isScalar(node) || typeof node.value !== 'string') fail(`${key} must be a string`);
        const v = (node as { value: string }).value;
        if (spec.enum && !spec.enum.includes(v)) fail(`${key} must be one of ${spec.enum.join(', ')} (got "${clipValue(v)}")`);
        if (spec.pattern && !new RegExp(spec.pattern).test(v)) fail(`${key}: "${clipValue(v)}" is not valid: write ${spec.description}`);
        return v;
      }
      case 'boolean':
        if (!isScalar(node) || typeof node.value !== 'boolean') fail(`${key} must be true or false`);
        return (node as { value: boolean }).value;
      case 'integer': {
        if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value)) fail(`${key} must be a whole number`);
        const v = (node as { value: number }).value;
        if (spec.minimum !== undefined && v < spec.minimum) fail(`${key} must be at least ${spec.minimum}`);
        if (spec.maximum !== undefined && v > spec.maximum) {
          fail(`${key} must be at most ${spec.maximum}${/(^|\.)timeout$/.test(key) ? ' (seconds: about 24 days, the longest a timer can wait)' : ''}`);
        }
        return v;
      }
      case 'array': {
        // A single value is accepted where a list is expected.
        if (isScalar(node) && node.value !== null) return [validate(node, spec.items, key)];
        if (!isSeq(node)) return fail(`${key} must be a list`);
        return node.items.map((item, i) => validate(item as YamlNode, spec.items, `${key}[${i}]`));
      }
      case 'object': {
        if (!isMap(node)) return fail(`${key} must be a mapping`);
        const obj: Record<string, unknown> = {};
        for (const pair of node.items) {
          const k = isScalar(pair.key) ? String(pair.key.value) : '';
          const sub = spec.properties[k] ?? spec.additionalProperties;
          const path = key ? `${key}.${k}` : k;
          if (!sub) {
            const known = Object.keys(spec.properties);
            throw new ConfigurationError(`unknown key "${clipValue(path)}"${known.length ? ` (known: ${known.join(', ')})` : ''}`, at(pair.key as YamlNode, clipValue(path)));
          }
          obj[k] = validate(pair.value as YamlNode, sub, path);
        }
        return obj;
      }
    }
  };

  const spec = configSpec(checks);
  if (spec.type !== 'object') throw new Error('config spec must be an object');
  for (const pair of root.items) {
    const k = isScalar(pair.key) ? String(pair.key.value) : '';
    const valueNode = pair.value as YamlNode | null;
    if (k === 'checks') {
      const checksNode = deref(valueNode);
      if (!isMap(checksNode)) throw new ConfigurationError('checks must be a mapping of check ids', at(valueNode ?? (pair.key as YamlNode), 'checks'));
      for (const cp of checksNode.items) {
        const id = isScalar(cp.key) ? String(cp.key.value) : '';
        if (!isCheckId(id)) {
          throw new ConfigurationError(`unknown check id "${clipValue(id)}" (known: ${CHECK_IDS.join(', ')})`, at(cp.key as YamlNode, `checks.${clipValue(id)}`));
        }
        const vnode = cp.value as YamlNode | null;
        const vval = deref(vnode);
        mark(`checks.${id}`, cp.key as YamlNode);
        if (isMap(vval)) for (const op of vval.items) if (isScalar(op.key)) mark(`checks.${id}.${String(op.key.value)}`, op.key as YamlNode);
        if (isScalar(vval) && typeof vval.value === 'string') {
          mark(`checks.${id}.level`, vnode);
          const lvl = vval.value;
          if (lvl !== 'error' && lvl !== 'warn' && lvl !== 'off') {
            throw new ConfigurationError(`checks.${id} must be error, warn or off (got "${clipValue(lvl)}")`, at(vnode, `checks.${id}`));
          }
          out.checks[id] = { level: lvl, options: {} };
          continue;
        }
        const checkSpec = (spec.properties.checks as Extract<OptionSpec, { type: 'object' }>).properties[id]!;
        const v = validate(vnode, checkSpec, `checks.${id}`) as Record<string, unknown>;
        const { level, timeout, ...options } = v;
        out.checks[id] = {
          level: level as Level | undefined,
          timeoutMs: typeof timeout === 'number' ? timeout * 1000 : undefined,
          options,
        };
      }
      continue;
    }
    mark(k, pair.key as YamlNode);
    const sub = spec.properties[k];
    if (!sub) {
      throw new ConfigurationError(`unknown key "${clipValue(k)}" (known: ${Object.keys(spec.properties).join(', ')})`, at(pair.key as YamlNode, clipValue(k)));
    }
    const v = validate(valueNode, sub, k);
    switch (k) {
      case 'mode':
        out.mode = v as Mode;
        break;
      case 'fail-fast':
        out.failFast = v as boolean;
        break;
      case 'on-error':
        out.onError = v as Mode;
        break;
      case 'targets': {
        const list = deref(valueNode);
        out.targets = (v as string[]).map((t, i) => parseTarget(t, at((list && isSeq(list) ? list.items[i] : valueNode) as YamlNode, `targets[${i}]`)));
        break;
      }
      case 'packages':
        out.packages = (v as string[]).map((p, i) => checkPackagePattern(p, at((valueNode && isSeq(valueNode) ? valueNode.items[i] : valueNode) as YamlNode, `packages[${i}]`)));
        break;
      case 'timeout':
        out.timeoutMs = (v as number) * 1000;
        break;
    }
  }
  return out;
}

