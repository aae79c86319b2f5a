/** Why a backup or restore refused to go on; `code` is stable, the message says what to do. */
export class BackupError extends Error {
  constructor(
    readonly code:
      | 'PG_TOOLS_MISSING'
      | 'PG_DUMP_TOO_OLD'
      | 'PG_RESTORE_TOO_OLD'
      | 'PG_TOOL_FAILED'
      | 'NOT_A_BACKUP'
      | 'BACKUP_DAMAGED'
      | 'TARGET_NOT_EMPTY'
      | 'BAD_USAGE',
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}
