import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { accordRoutes } from './vite-plugin-routes';

const here = import.meta.dirname;

export default defineConfig({
  root: here,
  plugins: [svelte(), accordRoutes()],
  build: { outDir: resolve(here, 'dist'), emptyOutDir: true, target: 'es2022', sourcemap: true },
  // `npm run dev:web` proxies the API and local sign-in to a running `npm start`.
  server: {
    proxy: {
      '/api': 'http://localhost:4280',
      '/local': 'http://localhost:4280',
      '/config.json': 'http://localhost:4280',
    },
  },
});
