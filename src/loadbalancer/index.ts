export { LocalLoadBalancers, type FrontDoorInfo, type FrontDoorTarget, type FrontDoorView } from "./front-door.js";
