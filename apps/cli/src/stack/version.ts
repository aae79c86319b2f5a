/** The platform version every process reports (health query, worker registry). */
export const VERSION = '0.1.0';
