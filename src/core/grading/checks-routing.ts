// Grader building blocks for the routing labs (see checks.ts for the shared ones).
export {};
