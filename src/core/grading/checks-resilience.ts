// Grader building blocks for the resilience labs (see checks.ts for the shared ones).
export {};
