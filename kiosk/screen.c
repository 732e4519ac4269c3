/*
 * screen.c: the screen stack (push, pop, replace; bounded depth), what a
 * screen owns through it (its state and its laid-out texts, freed here when
 * the screen is left, so no screen frees them by hand) and widget hit
 * testing.
 */
#include "kiosk.h"

#include <string.h>

static void screen_leave(kiosk_screen_stack_t *stack, kiosk_screen_t *screen);
static void screen_release(kiosk_screen_t *screen);
static wm_status_t screen_enter(kiosk_screen_stack_t *stack, kiosk_screen_t *screen,
                                const kiosk_screen_class_t *cls, int arg);

void kiosk_screen_stack_init(kiosk_screen_stack_t *stack, void *ctx)
{
    memset(stack, 0, sizeof(*stack));
    stack->ctx = ctx;
}

wm_status_t kiosk_screen_stack_push(kiosk_screen_stack_t *stack, const kiosk_screen_class_t *cls,
                                    int arg)
{
    wm_status_t st;

    if (stack->depth >= KIOSK_SCREEN_STACK_MAX)
        return wm_error(WM_ESTATE, "screen stack full (%d screens)", KIOSK_SCREEN_STACK_MAX);
    st = screen_enter(stack, &stack->items[stack->depth], cls, arg);
    if (st != WM_OK)
        return st;
    stack->depth++;
    return WM_OK;
}

wm_status_t kiosk_screen_stack_pop(kiosk_screen_stack_t *stack)
{
    if (stack->depth <= 1)
        return wm_error(WM_ESTATE, "cannot pop the bottom screen");
    screen_leave(stack, &stack->items[stack->depth - 1]);
    stack->depth--;
    return WM_OK;
}

wm_status_t kiosk_screen_stack_replace(kiosk_screen_stack_t *stack, const kiosk_screen_class_t *cls,
                                       int arg)
{
    kiosk_screen_t fresh;
    wm_status_t st;

    if (stack->depth == 0)
        return kiosk_screen_stack_push(stack, cls, arg);
    /* Enter the new screen first so that a failure leaves the stack as it
     * was. Screens keep no pointers to themselves, so moving is safe. */
    st = screen_enter(stack, &fresh, cls, arg);
    if (st != WM_OK)
        return st;
    screen_leave(stack, &stack->items[stack->depth - 1]);
    stack->items[stack->depth - 1] = fresh;
    return WM_OK;
}

void kiosk_screen_stack_pop_all(kiosk_screen_stack_t *stack)
{
    while (stack->depth > 1)
        kiosk_screen_stack_pop(stack);
}

void kiosk_screen_stack_clear(kiosk_screen_stack_t *stack)
{
    while (stack->depth > 0) {
        screen_leave(stack, &stack->items[stack->depth - 1]);
        stack->depth--;
    }
}

kiosk_screen_t *kiosk_screen_stack_top(kiosk_screen_stack_t *stack)
{
    return stack->depth ? &stack->items[stack->depth - 1] : NULL;
}

void *kiosk_screen_state(kiosk_screen_t *screen, size_t size)
{
    if (screen->state) {
        wm_error(WM_ESTATE, "screen '%s': state made twice", screen->cls->name);
        return NULL;
    }
    screen->state = wm_calloc(1, size);
    if (!screen->state)
        wm_error(WM_ENOMEM, "screen '%s': out of memory", screen->cls->name);
    return screen->state;
}

i18n_text_t *kiosk_screen_texts(kiosk_screen_t *screen, size_t n)
{
    if (screen->texts) {
        wm_error(WM_ESTATE, "screen '%s': texts made twice", screen->cls->name);
        return NULL;
    }
    screen->texts = wm_calloc(n, sizeof(*screen->texts));
    if (!screen->texts) {
        wm_error(WM_ENOMEM, "screen '%s': out of memory for texts", screen->cls->name);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        i18n_text_init(&screen->texts[i]);
    screen->text_count = n;
    return screen->texts;
}

wm_status_t kiosk_screen_add_widget(kiosk_screen_t *screen, const char *id, SDL_Rect rect,
                                    int action, int arg)
{
    kiosk_widget_t *w;

    if (screen->widget_count >= KIOSK_WIDGETS_MAX)
        return wm_error(WM_ESTATE, "screen '%s': more than %d widgets", screen->cls->name,
                        KIOSK_WIDGETS_MAX);
    if (strlen(id) >= KIOSK_WIDGET_ID_MAX)
        return wm_error(WM_EINVAL, "widget id '%s' too long", id);
    w = &screen->widgets[screen->widget_count++];
    strcpy(w->id, id);
    w->rect = rect;
    w->action = action;
    w->arg = arg;
    return WM_OK;
}

const kiosk_widget_t *kiosk_screen_hit(const kiosk_screen_t *screen, int x, int y)
{
    SDL_Point p = {x, y};

    /* last added is on top */
    for (size_t i = screen->widget_count; i-- > 0;) {
        if (SDL_PointInRect(&p, &screen->widgets[i].rect))
            return &screen->widgets[i];
    }
    return NULL;
}

const kiosk_widget_t *kiosk_screen_find(const kiosk_screen_t *screen, const char *id)
{
    for (size_t i = 0; i < screen->widget_count; i++) {
        if (strcmp(screen->widgets[i].id, id) == 0)
            return &screen->widgets[i];
    }
    return NULL;
}

static wm_status_t screen_enter(kiosk_screen_stack_t *stack, kiosk_screen_t *screen,
                                const kiosk_screen_class_t *cls, int arg)
{
    wm_status_t st = WM_OK;

    memset(screen, 0, sizeof(*screen));
    screen->cls = cls;
    screen->arg = arg;
    screen->pressed = -1;
    if (cls->enter)
        st = cls->enter(screen, stack->ctx);
    if (st != WM_OK) {
        /* what enter made through the stack goes; leave nothing behind */
        screen_release(screen);
    }
    return st;
}

static void screen_leave(kiosk_screen_stack_t *stack, kiosk_screen_t *screen)
{
    if (screen->cls && screen->cls->leave)
        screen->cls->leave(screen, stack->ctx);
    screen_release(screen);
}

static void screen_release(kiosk_screen_t *screen)
{
    for (size_t i = 0; i < screen->text_count; i++)
        i18n_text_free(&screen->texts[i]);
    wm_free(screen->texts);
    wm_free(screen->state);
    memset(screen, 0, sizeof(*screen));
}
