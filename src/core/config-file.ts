// Parsing of `.github/go-preflight.yml`: a pure function of the file's text that throws
// ConfigurationError naming `file:line:col` and the key. Kept apart from config.ts so that the
// YAML parser is loaded only when a config file exists (start-up time).

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { ConfigurationError } from './errors.js';
import type { OptionSpec } from './config-spec.js';
import { configSpec, parseTarget, type FileConfig } from './config.js';
import { CHECK_IDS, isCheckId, type Check, type CheckId, type Level, type Mode } from './types.js';

/** Parse and validate the config file's text. Throws ConfigurationError with file:line:col and key. */
export function parseConfig(text: string, file: string, checks: Partial<Record<CheckId, Check>>): FileConfig {
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
  const out: FileConfig = { checks: {}, file, lines: {} };
  const lineOf = (node: YamlNode | null | undefined): number | undefined => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
  const mark = (key: string, node: YamlNode | null | undefined) => {
    const l = lineOf(node);
    if (l !== undefined) out.lines![key] = l;
  };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { checks: {} };
  if (!isMap(root)) throw new ConfigurationError('the configuration must be a mapping of keys (mode, targets, checks...)', at(root));

  const validate = (node: YamlNode | null, spec: OptionSpec, key: string): unknown => {
    const fail = (msg: string): never => {
      throw new ConfigurationError(msg, at(node, key));
    };
    switch (spec.type) {
      case 'string': {
        if (!isScalar(node) || typeof node.value !== 'string') fail(`${key} must be a string`);
        const v = (node as { value: string }).value;
        if (spec.enum && !spec.enum.includes(v)) fail(`${key} must be one of ${spec.enum.join(', ')} (got "${v}")`);
        if (spec.pattern && !new RegExp(spec.pattern).test(v)) fail(`${key}: "${v}" is not valid: write ${spec.description}`);
        return v;
      }
      case 'boolean':
        if (!isScalar(node) || typeof node.value !== 'boolean') fail(`${key} must be true or false`);
        return (node as { value: boolean }).value;
      case 'integer': {
        if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value)) fail(`${key} must be a whole number`);
        const v = (node as { value: number }).value;
        if (spec.minimum !== undefined && v < spec.minimum) fail(`${key} must be at least ${spec.minimum}`);
        if (spec.maximum !== undefined && v > spec.maximum) fail(`${key} must be at most ${spec.maximum}`);
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
            throw new ConfigurationError(`unknown key "${path}"${known.length ? ` (known: ${known.join(', ')})` : ''}`, at(pair.key as YamlNode, path));
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
      if (!isMap(valueNode)) throw new ConfigurationError('checks must be a mapping of check ids', at(valueNode ?? (pair.key as YamlNode), 'checks'));
      for (const cp of valueNode.items) {
        const id = isScalar(cp.key) ? String(cp.key.value) : '';
        if (!isCheckId(id)) {
          throw new ConfigurationError(`unknown check id "${id}" (known: ${CHECK_IDS.join(', ')})`, at(cp.key as YamlNode, `checks.${id}`));
        }
        const vnode = cp.value as YamlNode | null;
        mark(`checks.${id}`, cp.key as YamlNode);
        if (isMap(vnode)) for (const op of vnode.items) if (isScalar(op.key)) mark(`checks.${id}.${String(op.key.value)}`, op.key as YamlNode);
        if (isScalar(vnode) && typeof vnode.value === 'string') {
          mark(`checks.${id}.level`, vnode);
          const lvl = vnode.value;
          if (lvl !== 'error' && lvl !== 'warn' && lvl !== 'off') {
            throw new ConfigurationError(`checks.${id} must be error, warn or off (got "${lvl}")`, at(vnode, `checks.${id}`));
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
      throw new ConfigurationError(`unknown key "${k}" (known: ${Object.keys(spec.properties).join(', ')})`, at(pair.key as YamlNode, k));
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
      case 'targets':
        out.targets = (v as string[]).map((t, i) => parseTarget(t, at((valueNode && isSeq(valueNode) ? valueNode.items[i] : valueNode) as YamlNode, `targets[${i}]`)));
        break;
      case 'packages':
        out.packages = v as string[];
        break;
      case 'timeout':
        out.timeoutMs = (v as number) * 1000;
        break;
    }
  }
  return out;
}

