// ESM TypeScript through ts-jest (run with NODE_OPTIONS=--experimental-vm-modules, as package.json does).
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 120000,
  // Tests spawn real `go` processes; two workers keep a 2-core machine busy without thrashing.
  maxWorkers: 2,
};
