/**
 * A tiny, safe template language (a subset of Mustache) for texts in templates/:
 *   {{name}} or {{a.b}}   the value (string, number or boolean); {{.}} is the current item
 *   {{#name}}…{{/name}}    repeat for each item of a list, or once when the value is true / an object
 *   {{^name}}…{{/name}}    only when the value is false, empty or an empty list
 *   {{! comment }}         left out
 * A line holding only a section tag or a comment disappears entirely. Nothing is executed and
 * nothing is escaped; a placeholder with no data is an error naming the template and line, so a
 * typo in an edited template is found instead of printed.
 */
export type TemplateValue = string | number | boolean | null | TemplateView | TemplateValue[];
export interface TemplateView {
  [key: string]: TemplateValue | undefined;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

type Node =
  | { kind: "text"; text: string }
  | { kind: "var"; path: string; line: number }
  | { kind: "section"; path: string; inverted: boolean; line: number; children: Node[] };

const TAG = /\{\{\s*([#^/!]?)\s*([^}]*?)\s*\}\}/g;
const STANDALONE = /^\s*\{\{\s*[#^/!][^}]*\}\}\s*$/;

interface Frame {
  node: Extract<Node, { kind: "section" }> | undefined;
  children: Node[];
}

export function parseTemplate(source: string, name: string): Node[] {
  const root: Frame = { node: undefined, children: [] };
  const stack: Frame[] = [root];
  const lines = source.split("\n");
  lines.forEach((line, idx) => {
    const lineNo = idx + 1;
    const standalone = STANDALONE.test(line);
    let last = 0;
    for (const m of line.matchAll(TAG)) {
      const top = stack[stack.length - 1]!;
      if (!standalone && m.index > last) top.children.push({ kind: "text", text: line.slice(last, m.index) });
      last = m.index + m[0].length;
      const [, sigil, path] = m;
      if (sigil === "!") continue;
      if (!path) throw new TemplateError(`模板 ${name} 第${lineNo}行：空的占位符 "${m[0]}"`);
      if (sigil === "#" || sigil === "^") {
        const node: Node = { kind: "section", path, inverted: sigil === "^", line: lineNo, children: [] };
        top.children.push(node);
        stack.push({ node, children: node.children });
      } else if (sigil === "/") {
        if (!top.node || top.node.path !== path) {
          throw new TemplateError(
            `模板 ${name} 第${lineNo}行：{{/${path}}} 与${top.node ? `第${top.node.line}行的 {{#${top.node.path}}}` : "任何开始标记"}不匹配`,
          );
        }
        stack.pop();
      } else {
        top.children.push({ kind: "var", path, line: lineNo });
      }
    }
    if (standalone) return;
    const top = stack[stack.length - 1]!;
    const rest = line.slice(last) + (idx < lines.length - 1 ? "\n" : "");
    if (rest) top.children.push({ kind: "text", text: rest });
  });
  const open = stack[stack.length - 1]!.node;
  if (open)
    throw new TemplateError(
      `模板 ${name} 第${open.line}行：{{#${open.path}}} 没有结束标记 {{/${open.path}}}`,
    );
  return root.children;
}

function lookup(stack: TemplateValue[], path: string, name: string, line: number): TemplateValue {
  if (path === ".") return stack[stack.length - 1] ?? null;
  const [head, ...rest] = path.split(".");
  for (let i = stack.length - 1; i >= 0; i--) {
    const scope = stack[i];
    if (scope === null || typeof scope !== "object" || Array.isArray(scope) || !Object.hasOwn(scope, head!)) {
      continue;
    }
    let v: TemplateValue | undefined = scope[head!];
    for (const part of rest) {
      if (v === null || typeof v !== "object" || Array.isArray(v) || !Object.hasOwn(v, part)) {
        throw new TemplateError(
          `模板 ${name} 第${line}行：占位符 {{${path}}} 没有对应的数据（缺少 ${part}）`,
        );
      }
      v = v[part];
    }
    return v ?? null;
  }
  throw new TemplateError(`模板 ${name} 第${line}行：占位符 {{${path}}} 没有对应的数据`);
}

function truthy(v: TemplateValue): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && v !== false && v !== "" && v !== 0;
}

function renderNodes(nodes: Node[], stack: TemplateValue[], name: string, out: string[]): void {
  for (const n of nodes) {
    if (n.kind === "text") {
      out.push(n.text);
    } else if (n.kind === "var") {
      const v = lookup(stack, n.path, name, n.line);
      if (v !== null && typeof v === "object") {
        throw new TemplateError(
          `模板 ${name} 第${n.line}行：{{${n.path}}} 是列表或对象，应写成 {{#${n.path}}}…{{/${n.path}}}`,
        );
      }
      out.push(v === null ? "" : String(v));
    } else {
      const v = lookup(stack, n.path, name, n.line);
      if (n.inverted) {
        if (!truthy(v)) renderNodes(n.children, stack, name, out);
      } else if (Array.isArray(v)) {
        for (const item of v) renderNodes(n.children, [...stack, item], name, out);
      } else if (truthy(v)) {
        renderNodes(n.children, typeof v === "object" ? [...stack, v] : stack, name, out);
      }
    }
  }
}

const parsed = new Map<string, { source: string; nodes: Node[] }>();

/** Renders `source` (named `name` in error messages) with the view. Parsed templates are cached by name. */
export function renderTemplate(source: string, view: TemplateView, name = "template"): string {
  let entry = parsed.get(name);
  if (!entry || entry.source !== source) {
    entry = { source, nodes: parseTemplate(source, name) };
    parsed.set(name, entry);
  }
  const out: string[] = [];
  renderNodes(entry.nodes, [view], name, out);
  return out.join("");
}
