import { GraphQLError, Lexer, Source, TokenKind, parse, type ParseOptions } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface ParserLimits {
  /** Tokens in one document (graphql-js `maxTokens`). @default 10_000 */
  readonly maxTokens?: number;
  /** Nesting of `{`, `[` and `(` in one document. @default 64 */
  readonly maxNesting?: number;
}

const OPEN = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSE = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Refuses a document nested deeper than `maxNesting` before graphql-js parses it: the
 * parser recurses once per level and overflows the stack at a few thousand, which no
 * limit checked after parsing can catch. One pass of the lexer, which does not recurse;
 * it stops at `maxTokens`, where parse itself refuses.
 */
function checkNesting(source: string, maxNesting: number, maxTokens: number): void {
  const lexer = new Lexer(new Source(source));
  let level = 0;
  for (let n = 0; n <= maxTokens; n++) {
    const token = lexer.advance();
    if (token.kind === TokenKind.EOF) return;
    if (OPEN.has(token.kind) && ++level > maxNesting) {
      throw new GraphQLError(
        `The document nests brackets more than ${maxNesting} levels deep (line ${token.line}). Nest fewer fields or values.`,
        {
          extensions: { code: 'QUERY_TOO_DEEP', http: { status: 400 } },
        },
      );
    }
    if (CLOSE.has(token.kind)) level--;
  }
}

/** A Yoga plugin that parses with a token limit and a nesting limit (`ParserLimits`). */
export function useParserLimits({ maxTokens = 10_000, maxNesting = 64 }: ParserLimits = {}): Plugin {
  return {
    onParse({ setParseFn }) {
      setParseFn((source: string | Source, options?: ParseOptions) => {
        const text = typeof source === 'string' ? source : source.body;
        checkNesting(text, maxNesting, maxTokens);
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- ParseOptions still lists the maxTokens alias
        return parse(source, { ...options, maxLexicalTokens: maxTokens });
      });
    },
  };
}
