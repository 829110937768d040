#!/usr/bin/env node
// bicepcheck: an offline syntax check of Bicep files with the tree-sitter
// Bicep grammar (npm tree-sitter-bicep, loaded as WASM by web-tree-sitter; no
// native build). It is not a compiler: types, scopes and the ARM JSON are not
// checked. What it does check:
//   - the parse tree has no ERROR and no missing nodes (printed as
//     file:line:col);
//   - every local module path ('./x.bicep') and every file read with
//     loadJsonContent / loadTextContent / loadYamlContent exists.
//
// Usage: node check.mjs [file-or-directory ...]   (default: ../../infra)
// Exit status: 0 all files clean, 1 errors found, 2 usage error or no .bicep
// file found.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser, Language } from 'web-tree-sitter';

const here = dirname(fileURLToPath(import.meta.url));
const grammar = join(here, 'node_modules', 'tree-sitter-bicep', 'tree-sitter-bicep.wasm');

// bicepFiles returns the .bicep files under path (a file or a directory),
// sorted, skipping node_modules and dot-directories.
function bicepFiles(path) {
  const st = statSync(path);
  if (st.isFile()) {
    return path.endsWith('.bicep') ? [path] : [];
  }
  const out = [];
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) {
      continue;
    }
    out.push(...bicepFiles(join(path, name)));
  }
  return out;
}

// position formats a node's start as line:col, both 1-based.
function position(node) {
  return `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
}

// snippet returns a short, single-line excerpt of a node's text.
function snippet(node) {
  const text = node.text.replace(/\s+/g, ' ').trim();
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

// syntaxErrors walks the tree and returns one message per ERROR or missing
// node. Children of an ERROR node are not reported again.
function syntaxErrors(root) {
  const errors = [];
  const walk = (node) => {
    if (node.isMissing) {
      errors.push({ node, msg: `missing ${node.type}` });
      return;
    }
    if (node.type === 'ERROR') {
      errors.push({ node, msg: `syntax error near "${snippet(node)}"` });
      return;
    }
    for (const child of node.children) {
      walk(child);
    }
  };
  walk(root);
  return errors;
}

// stringValue returns the text of a string node without interpolation, or
// null when it holds an interpolation (the path is then not static).
function stringValue(node) {
  if (node.namedChildren.some((c) => c.type === 'interpolation')) {
    return null;
  }
  return node.namedChildren.map((c) => c.text).join('');
}

const loaders = new Set(['loadJsonContent', 'loadTextContent', 'loadYamlContent', 'loadFileAsBase64']);

// referencedFiles returns the local files a Bicep file refers to: module
// paths and the first argument of the load*Content functions.
function referencedFiles(root) {
  const refs = [];
  const walk = (node) => {
    if (node.type === 'module_declaration') {
      const str = node.namedChildren.find((c) => c.type === 'string');
      if (str) {
        refs.push({ node: str, path: stringValue(str) });
      }
    }
    if (node.type === 'call_expression') {
      const fn = node.namedChildren[0];
      const args = node.namedChildren.find((c) => c.type === 'arguments');
      const first = args?.namedChildren[0];
      if (fn && loaders.has(fn.text) && first?.type === 'string') {
        refs.push({ node: first, path: stringValue(first) });
      }
    }
    for (const child of node.namedChildren) {
      walk(child);
    }
  };
  walk(root);
  // Registry ('br:', 'br/alias:') and template-spec ('ts:') references
  // cannot be resolved offline; only local paths are checked.
  return refs.filter((r) => r.path && !/^(br[:/]|ts[:/])/.test(r.path));
}

async function main(args) {
  const targets = args.length > 0 ? args : [resolve(here, '..', '..', 'infra')];
  let files = [];
  for (const t of targets) {
    if (!existsSync(t)) {
      console.error(`bicepcheck: ${t}: no such file or directory`);
      return 2;
    }
    files = files.concat(bicepFiles(t));
  }
  if (files.length === 0) {
    console.error(`bicepcheck: no .bicep file under ${targets.join(', ')}`);
    return 2;
  }
  await Parser.init();
  const parser = new Parser();
  parser.setLanguage(await Language.load(grammar));
  let failures = 0;
  for (const file of files) {
    const name = relative(process.cwd(), file) || file;
    const tree = parser.parse(readFileSync(file, 'utf8'));
    const problems = syntaxErrors(tree.rootNode);
    for (const ref of referencedFiles(tree.rootNode)) {
      if (!existsSync(resolve(dirname(file), ref.path))) {
        problems.push({ node: ref.node, msg: `referenced file ${ref.path} does not exist` });
      }
    }
    problems.sort((a, b) => a.node.startIndex - b.node.startIndex);
    for (const p of problems) {
      console.log(`${name}:${position(p.node)}: ${p.msg}`);
    }
    if (problems.length === 0) {
      console.log(`${name}: ok`);
    }
    failures += problems.length;
    tree.delete();
  }
  console.log(`bicepcheck: ${files.length} file(s), ${failures} problem(s)`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
