/* A small JSON writer: keys in the order written, two-space indentation, so a profile reads well and diffs cleanly. */
#ifndef GPU_CALIBRATE_JSON_H
#define GPU_CALIBRATE_JSON_H

#include <stdio.h>

struct json {
    FILE *out;
    int depth;
    int has_items[32]; /* per nesting level: whether a comma is due before the next item */
};

void json_init(struct json *j, FILE *out);
/* Opens an object (`key` NULL inside arrays and at the top). */
void json_object(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value);
void json_int(struct json *j, const char *key, long long value);
/* A number with 9 significant digits; non-finite values become null. */
void json_double(struct json *j, const char *key, double value);
void json_bool(struct json *j, const char *key, int value);
void json_null(struct json *j, const char *key);

#endif
