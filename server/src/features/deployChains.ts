// Deploy chains live in the core (the CLI and evaluations use them too); features import them from here.
export { deployersOf, deployChains, rootKustomizations, childKustomizations } from '../core/deployChains';
