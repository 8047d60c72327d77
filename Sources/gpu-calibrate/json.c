/* The JSON writer declared in json.h. */
#include "json.h"

#include <math.h>

void json_init(struct json *j, FILE *out) {
    j->out = out;
    j->depth = 0;
    j->has_items[0] = 0;
}

static void quote(FILE *out, const char *s) {
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20) fprintf(out, "\\u%04x", *p);
            else fputc(*p, out);
        }
    }
    fputc('"', out);
}

/* Writes the comma, newline and indentation due before an item, then its key. */
static void item(struct json *j, const char *key) {
    if (j->has_items[j->depth]) fputc(',', j->out);
    j->has_items[j->depth] = 1;
    if (j->depth > 0) {
        fputc('\n', j->out);
        for (int i = 0; i < j->depth; i++) fputs("  ", j->out);
    }
    if (key) {
        quote(j->out, key);
        fputs(": ", j->out);
    }
}

static void open_(struct json *j, const char *key, char bracket) {
    item(j, key);
    fputc(bracket, j->out);
    j->depth++;
    j->has_items[j->depth] = 0;
}

static void close_(struct json *j, char bracket) {
    int had = j->has_items[j->depth];
    j->depth--;
    if (had) {
        fputc('\n', j->out);
        for (int i = 0; i < j->depth; i++) fputs("  ", j->out);
    }
    fputc(bracket, j->out);
    if (j->depth == 0) fputc('\n', j->out);
}

void json_object(struct json *j, const char *key) { open_(j, key, '{'); }
void json_object_end(struct json *j) { close_(j, '}'); }
void json_array(struct json *j, const char *key) { open_(j, key, '['); }
void json_array_end(struct json *j) { close_(j, ']'); }

void json_string(struct json *j, const char *key, const char *value) {
    item(j, key);
    quote(j->out, value);
}

void json_int(struct json *j, const char *key, long long value) {
    item(j, key);
    fprintf(j->out, "%lld", value);
}

void json_double(struct json *j, const char *key, double value) {
    item(j, key);
    if (isfinite(value)) fprintf(j->out, "%.9g", value);
    else fputs("null", j->out);
}

void json_bool(struct json *j, const char *key, int value) {
    item(j, key);
    fputs(value ? "true" : "false", j->out);
}

void json_null(struct json *j, const char *key) {
    item(j, key);
    fputs("null", j->out);
}
