"""How the commands end; scheduled jobs and scripts depend on these numbers."""

EXIT_OK = 0  # validate: every row usable; import: every row imported
EXIT_ROW_ERRORS = 1  # row errors (offline or from the server), or stopped before uploading
EXIT_CANNOT_WORK = 1  # doctor: OmniDesk cannot work with the server (or it is not Omnitron)
EXIT_FAILURE = 2  # the file cannot be read, not signed in, unreachable, no such list, FAILURE
EXIT_STILL_RUNNING = 3  # import --timeout passed; the server's job goes on
EXIT_INTERRUPTED = 130  # Ctrl+C
