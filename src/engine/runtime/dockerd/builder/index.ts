/**
 * builder — Docker 27's classic image builder (moby builder/dockerfile and builder/remotecontext, with
 * BuildKit's Dockerfile parser and shell lexer as moby vendors them): the Dockerfile parser, word
 * expansion, build args, .dockerignore patterns, and the Builder that dispatches each instruction through
 * the daemon's containers, layers and image service, with the classic build cache.
 *
 * Left out: BuildKit itself, heredocs, ONBUILD triggers, ADD from URLs (offline) and of local archives.
 */
export { BuildArgs, BUILTIN_ALLOWED_BUILD_ARGS } from './buildArgs.ts';
export { BuildError, Builder, goQuote, type BuildMessage, type ImageBuildOptions } from './builder.ts';
export { cleanPath, PatternMatcher, readDockerignore, type Pattern } from './dockerignore.ts';
export { DockerfileParseError, parseDockerfile, parseJsonArray, type Node, type ParseResult } from './parser.ts';
export { processFields, processWord, ShellLexError, splitWords } from './shellLex.ts';
