/* pairs: whole-process times of two commands, measured pairwise.
 *
 *   pairs ROUNDS COMMAND-A... -- COMMAND-B...
 *
 * Each round runs A, then B (then B, then A in the next round, so neither
 * always goes first), each with standard output and error on /dev/null, and
 * takes the wall time from fork to exit with CLOCK_MONOTONIC. Prints the
 * medians, the median of the per-round ratios B / A, and the minimums.
 * Interleaving means drift (frequency, other load) hits both alike, which
 * two separate series of runs do not guarantee. Exits 1 when a command
 * cannot be run. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Wall time of one run of argv in ms, or -1 when it could not run. */
static double
run_once(char **argv, int devnull)
{
	double start = now_ms();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(devnull, STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	double t = now_ms() - start;
	return WIFEXITED(status) && WEXITSTATUS(status) == 127 ? -1 : t;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sorts v (in place) and returns its median. */
static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main(int argc, char **argv)
{
	int sep = 0;
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	int rounds = argc > 1 ? atoi(argv[1]) : 0;
	if (rounds < 1 || sep <= 2 || sep == argc - 1) {
		fprintf(stderr, "usage: pairs ROUNDS COMMAND-A... -- COMMAND-B...\n");
		return 2;
	}
	argv[sep] = NULL;
	char **a = argv + 2, **b = argv + sep + 1;
	int devnull = open("/dev/null", O_WRONLY);
	double *ta = malloc(sizeof(double) * (size_t)rounds);
	double *tb = malloc(sizeof(double) * (size_t)rounds);
	double *ratio = malloc(sizeof(double) * (size_t)rounds);
	if (devnull < 0 || !ta || !tb || !ratio) {
		perror("pairs");
		return 1;
	}
	/* One unmeasured run each, so both start with a warm page cache. */
	if (run_once(a, devnull) < 0 || run_once(b, devnull) < 0) {
		fprintf(stderr, "pairs: cannot run %s or %s\n", a[0], b[0]);
		return 1;
	}
	for (int i = 0; i < rounds; i++) {
		if (i % 2 == 0) {
			ta[i] = run_once(a, devnull);
			tb[i] = run_once(b, devnull);
		} else {
			tb[i] = run_once(b, devnull);
			ta[i] = run_once(a, devnull);
		}
		if (ta[i] < 0 || tb[i] < 0) {
			fprintf(stderr, "pairs: a run failed\n");
			return 1;
		}
		ratio[i] = tb[i] / ta[i];
	}
	/* median() sorts in place, so [0] is then the minimum. */
	double ma = median(ta, rounds), mb = median(tb, rounds), mr = median(ratio, rounds);
	printf("rounds %d: A median %.3f ms (min %.3f), B median %.3f ms (min %.3f), "
	       "B/A median of ratios %.2f\n",
	       rounds, ma, ta[0], mb, tb[0], mr);
	free(ta);
	free(tb);
	free(ratio);
	return 0;
}
