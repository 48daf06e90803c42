/// <reference types="vite/client" />
/** Side-effect CSS imports are bundled by Vite (per lazy chunk); `import.meta.env` is Vite's. */
declare module '*.css';
