#ifndef TRILLIUM_NCURSES_SHIM_H
#define TRILLIUM_NCURSES_SHIM_H

/* SwiftPM drops ncursesw.pc's -D flags, so the wide-character API is
   switched on here, before the header is read. */
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Swift 6 rejects C globals and cannot import these macros: wrap them. */
static inline WINDOW *trillium_stdscr(void) { return stdscr; }
static inline int trillium_colors(void) { return COLORS; }
static inline int trillium_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t trillium_attr_bold(void) { return A_BOLD; }
static inline attr_t trillium_attr_reverse(void) { return A_REVERSE; }
static inline attr_t trillium_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t trillium_attr_dim(void) { return A_DIM; }
static inline attr_t trillium_attr_normal(void) { return A_NORMAL; }

/* Draws one character cell with attributes and an (extended) colour pair. */
static inline int trillium_put_cell(WINDOW *window, int y, int x, const wchar_t *text, attr_t attributes, int pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attributes, 0, &pair) == ERR) return ERR;
    return mvwadd_wch(window, y, x, &cell);
}

/* Reads back a cell's characters (for the adapter's own tests). */
static inline int trillium_read_cell(WINDOW *window, int y, int x, wchar_t *text, int capacity) {
    cchar_t cell;
    attr_t attributes;
    short pair;
    wchar_t buffer[CCHARW_MAX + 1];
    if (mvwin_wch(window, y, x, &cell) == ERR) return ERR;
    if (getcchar(&cell, buffer, &attributes, &pair, NULL) == ERR) return ERR;
    int i = 0;
    for (; i < capacity - 1 && buffer[i] != 0; i++) text[i] = buffer[i];
    text[i] = 0;
    return OK;
}

static inline int trillium_is_utf8_locale(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (codeset[0] == 'U' || codeset[0] == 'u') && (codeset[1] == 'T' || codeset[1] == 't');
}

#endif
