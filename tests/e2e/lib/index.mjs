export * from './app.mjs';
export * from './ui.mjs';
export * from './journey.mjs';
