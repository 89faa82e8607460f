// cardload sends customer-card queries at a fixed concurrency and reports cards per second
// and latency percentiles, for benchmarks/card_gateway.py.
//
// A scenario (JSON, see scenario below) describes one card as stages of GraphQL requests:
// through a gateway it is a single request; straight to the subgraphs it is the requests of
// the gateway's query plan, stage after stage. A card counts once all its requests have
// answered 200 without GraphQL errors; its latency is from its first request's start to
// its last answer. Each of `-concurrency` workers sends one card after another over
// keep-alive connections, each time the card of a customer drawn at random: workers walking
// the list in step would keep asking for the same card at the same moment, which a gateway
// that merges identical in-flight requests would answer once.
//
//	cardload -scenario card.json -concurrency 8 -duration 20s -warmup 5s
//
// The result is one JSON object on stdout. The loader's own CPU time is part of it, to show
// that the load generator was not what limited the run.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"sync"
	"syscall"
	"time"
)

type request struct {
	URL  string `json:"url"`
	Body string `json:"body"`
}

type card struct {
	// Stages run one after another; the requests of a stage run one after another too,
	// unless the scenario runs them in parallel as a gateway's plan would.
	Stages [][]request `json:"stages"`
}

type scenario struct {
	Name           string            `json:"name"`
	Headers        map[string]string `json:"headers"`
	ParallelStages bool              `json:"parallel_stages"`
	Cards          []card            `json:"cards"`
}

type latency struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

type result struct {
	Name             string  `json:"name"`
	Concurrency      int     `json:"concurrency"`
	Seconds          float64 `json:"seconds"`
	Cards            int     `json:"cards"`
	CardsPerSecond   float64 `json:"cards_per_second"`
	RequestsPerCard  int     `json:"requests_per_card"`
	CardsWithWarmup  int     `json:"cards_with_warmup"`
	Errors           int     `json:"errors"`
	FirstError       string  `json:"first_error,omitempty"`
	LatencyMs        latency `json:"latency_ms"`
	LoaderCPUSeconds float64 `json:"loader_cpu_seconds"`
}

type worker struct {
	client    *http.Client
	scenario  *scenario
	random    *rand.Rand
	latencies []time.Duration
	errors    int
	sent      int // cards answered over the whole run, warm-up included
	first     string
}

func main() {
	path := flag.String("scenario", "", "scenario JSON file")
	concurrency := flag.Int("concurrency", 1, "cards in flight at once")
	duration := flag.Duration("duration", 20*time.Second, "measured time")
	warmup := flag.Duration("warmup", 5*time.Second, "time sent but not measured, before")
	flag.Parse()
	if *path == "" || *concurrency < 1 {
		fmt.Fprintln(os.Stderr, "cardload: -scenario FILE and a -concurrency of 1 or more are required")
		os.Exit(2)
	}
	plan, err := load(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cardload:", err)
		os.Exit(2)
	}
	out := run(plan, *concurrency, *warmup, *duration)
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "cardload:", err)
		os.Exit(1)
	}
}

func load(path string) (*scenario, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var plan scenario
	if err := json.Unmarshal(raw, &plan); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(plan.Cards) == 0 {
		return nil, fmt.Errorf("%s: no cards", path)
	}
	return &plan, nil
}

func run(plan *scenario, concurrency int, warmup, duration time.Duration) result {
	transport := &http.Transport{
		MaxIdleConns:        4 * concurrency,
		MaxIdleConnsPerHost: 4 * concurrency,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	cpuBefore := cpuSeconds()
	start := time.Now()
	measureFrom, stopAt := start.Add(warmup), start.Add(warmup+duration)
	workers := make([]*worker, concurrency)
	var wait sync.WaitGroup
	for index := range workers {
		workers[index] = &worker{
			client:   &http.Client{Transport: transport},
			scenario: plan,
			random:   rand.New(rand.NewPCG(uint64(index), uint64(start.UnixNano()))),
		}
		wait.Add(1)
		go func(w *worker) {
			defer wait.Done()
			w.loop(measureFrom, stopAt)
		}(workers[index])
	}
	wait.Wait()
	return summarize(plan, concurrency, duration, workers, cpuSeconds()-cpuBefore)
}

func (w *worker) loop(measureFrom, stopAt time.Time) {
	for {
		began := time.Now()
		if !began.Before(stopAt) {
			return
		}
		ok := w.card(&w.scenario.Cards[w.random.IntN(len(w.scenario.Cards))])
		ended := time.Now()
		if ok {
			w.sent++
		}
		// Only cards sent and answered inside the measured window count.
		if began.Before(measureFrom) || ended.After(stopAt) {
			continue
		}
		if ok {
			w.latencies = append(w.latencies, ended.Sub(began))
		} else {
			w.errors++
		}
	}
}

func (w *worker) card(c *card) bool {
	for _, stage := range c.Stages {
		if w.scenario.ParallelStages && len(stage) > 1 {
			if !w.parallel(stage) {
				return false
			}
			continue
		}
		for _, req := range stage {
			if problem := w.send(req); problem != "" {
				w.remember(problem)
				return false
			}
		}
	}
	return true
}

func (w *worker) parallel(stage []request) bool {
	problems := make([]string, len(stage))
	var wait sync.WaitGroup
	for index, req := range stage {
		wait.Add(1)
		go func(index int, req request) {
			defer wait.Done()
			problems[index] = w.send(req)
		}(index, req)
	}
	wait.Wait()
	for _, problem := range problems {
		if problem != "" {
			w.remember(problem)
			return false
		}
	}
	return true
}

// send posts one request; it returns what went wrong, or "" for a 200 without errors.
func (w *worker) send(req request) string {
	httpRequest, err := http.NewRequest(http.MethodPost, req.URL, bytes.NewReader([]byte(req.Body)))
	if err != nil {
		return err.Error()
	}
	httpRequest.Header.Set("content-type", "application/json")
	httpRequest.Header.Set("accept", "application/json")
	for name, value := range w.scenario.Headers {
		httpRequest.Header.Set(name, value)
	}
	response, err := w.client.Do(httpRequest)
	if err != nil {
		return err.Error()
	}
	body, err := io.ReadAll(response.Body)
	response.Body.Close()
	if err != nil {
		return err.Error()
	}
	// An answer with GraphQL errors is a failed card even with HTTP 200 (a partial card).
	if response.StatusCode != http.StatusOK || bytes.Contains(body, []byte(`"errors"`)) {
		return fmt.Sprintf("%s: HTTP %d: %.300s", req.URL, response.StatusCode, body)
	}
	return ""
}

func (w *worker) remember(problem string) {
	if w.first == "" {
		w.first = problem
	}
}

func summarize(plan *scenario, concurrency int, duration time.Duration, workers []*worker, cpu float64) result {
	var all []time.Duration
	out := result{Name: plan.Name, Concurrency: concurrency, Seconds: duration.Seconds(), LoaderCPUSeconds: cpu}
	for _, stage := range plan.Cards[0].Stages {
		out.RequestsPerCard += len(stage)
	}
	for _, w := range workers {
		all = append(all, w.latencies...)
		out.Errors += w.errors
		out.CardsWithWarmup += w.sent
		if out.FirstError == "" {
			out.FirstError = w.first
		}
	}
	out.Cards = len(all)
	out.CardsPerSecond = float64(len(all)) / duration.Seconds()
	if len(all) == 0 {
		return out
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	var total time.Duration
	for _, value := range all {
		total += value
	}
	out.LatencyMs = latency{
		P50:  milliseconds(percentile(all, 0.50)),
		P90:  milliseconds(percentile(all, 0.90)),
		P99:  milliseconds(percentile(all, 0.99)),
		Max:  milliseconds(all[len(all)-1]),
		Mean: milliseconds(total / time.Duration(len(all))),
	}
	return out
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []time.Duration, share float64) time.Duration {
	rank := int(math.Ceil(share*float64(len(sorted)))) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

func milliseconds(value time.Duration) float64 {
	return float64(value.Microseconds()) / 1000
}

func cpuSeconds() float64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	return float64(usage.Utime.Nano()+usage.Stime.Nano()) / 1e9
}
