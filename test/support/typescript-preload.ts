// A TypeScript module preloaded with `--import` (see background-build-child.ts).
export const preloaded: boolean = true;
