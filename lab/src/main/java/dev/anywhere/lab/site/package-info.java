/**
 * The site's servers in one JVM ({@link dev.anywhere.lab.site.LabSite}), what a running lab tells its clients
 * ({@link dev.anywhere.lab.site.LabState}, {@code lab.json}) and the lab's own echo probe
 * ({@link dev.anywhere.lab.site.EchoProbe}).
 */
package dev.anywhere.lab.site;
