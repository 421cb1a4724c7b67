/*
 * watch.c — --watch: wait until the model or any file it read changes.
 *
 * Polling modification times keeps this portable and dependency-free (inotify would miss
 * editors that replace a file by renaming a new one over it unless handled specially,
 * while a stat() per file every few hundred milliseconds sees every kind of save).
 */
#include <time.h>

#include "cli/cli.h"

void cli_watch_wait(cli_state *s, int ms) {
    struct timespec nap = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (!cli_files_changed(s)) nanosleep(&nap, NULL);
    /* an editor may still be writing: wait until one poll sees no further change */
    do nanosleep(&nap, NULL);
    while (cli_files_changed(s));
}
