package app

import (
	"tandem/internal/health"
	"tandem/internal/tandem"
)

// NewMonitor watches the server and models named in s and sends each change
// of status to the frontend. The caller runs it.
func NewMonitor(s tandem.Settings, events Emitter) *health.Monitor {
	return health.New(health.ConfigOf(s), health.Dial, func(st health.Status) {
		events.Emit(EventStatusChanged, st)
	})
}

// StatusService reports the Ollama connection to the status bar.
type StatusService struct {
	monitor *health.Monitor
}

func NewStatusService(m *health.Monitor) *StatusService { return &StatusService{monitor: m} }

// Status is the latest status.
func (s *StatusService) Status() health.Status { return s.monitor.Status() }

// Recheck checks again now, for the status bar's retry button.
func (s *StatusService) Recheck() { s.monitor.Recheck() }
