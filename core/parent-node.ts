import type ts from 'typescript';

/**
 * A node's parent. TypeScript declares `Node.parent` as always set, but a SourceFile's is undefined (as is
 * every parent in a tree parsed without parent pointers), so each walk up the tree must stop there.
 */
export function parentOf(node: ts.Node): ts.Node | undefined {
  return node.parent;
}
