/** Code of an Express app whose one sync route runs `body` (the common frame of the catalog cases). */
export function inRoute(imports: string, body: string): string {
  return `${imports}
import express from 'express';
const app = express();
app.get('/x', (req, res) => {
  ${body}
  res.end();
});
`;
}
