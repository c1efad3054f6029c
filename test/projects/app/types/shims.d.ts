// Packages the catalog knows that are not installed here: declared so their types resolve.
declare module 'pg-native' {
  class Client {
    connectSync(connectionString?: string): void;
    querySync(text: string, values?: unknown[]): unknown[];
    query(text: string, callback: (error: Error | null, rows: unknown[]) => void): void;
  }
  export = Client;
}
