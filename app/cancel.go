package app

import (
	"context"
	"sync"
)

// cancelSlot holds the cancel of the one long job a service runs at a time
// (an import), so that a Stop button can end it.
type cancelSlot struct {
	mu     sync.Mutex
	cancel context.CancelFunc
}

// start derives the job's context from parent; call the returned func when
// the job ends.
func (c *cancelSlot) start(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	c.mu.Lock()
	c.cancel = cancel
	c.mu.Unlock()
	return ctx, cancel
}

// stop cancels the running job, if any; what it did so far stays.
func (c *cancelSlot) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancel != nil {
		c.cancel()
	}
}
