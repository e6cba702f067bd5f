#ifndef TRILLIUM_TERMINAL_SUPPORT_H
#define TRILLIUM_TERMINAL_SUPPORT_H

/* Saves the terminal's settings before curses changes them. */
void trillium_save_terminal(int fd);

/* On SEGV, ILL, TRAP, BUS, FPE and ABRT: leave the alternate screen, show the
   cursor, reset attributes, restore the saved settings (async-signal-safe
   calls only), then re-raise with the previous action so the crash is still
   reported. */
void trillium_install_crash_restore(void);

/* SIGINT, SIGTERM, SIGHUP and SIGQUIT set a flag (without SA_RESTART, so a blocking
   read returns) and the event loop ends normally, restoring the terminal. */
void trillium_install_quit_handlers(void);

/* The signal that asked to quit, or 0. */
int trillium_quit_signal(void);

#endif
