/** Side-effect CSS imports are bundled by Vite (per lazy chunk). */
declare module '*.css';
